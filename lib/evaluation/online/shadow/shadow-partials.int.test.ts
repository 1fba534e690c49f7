// A shadow candidate that is the live version of a prompt rendered with another version of a partial it
// includes (docs/decisions/shadow-evaluation.md): the rule's setting takes it beside plain versions (and refuses a bad
// one naming the field), the job answers sampled live inputs with the composed text, stores the answers apart from the
// plain version's (the counts too), and the comparison names it "support-reply v1 with shared/tone v2".
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../../../db/client";
import { shadowResultCounts, shadowResults } from "../../../../db/schema";
import { failure } from "../../../../test/domain-fixtures";
import {
  count,
  f,
  generations,
  partialLiveIn,
  rule,
  server,
  t,
  withOnlineDatabase,
} from "../../../../test/online-fixture";
import { createModelCaller } from "../../../llm/model-caller";
import { createPrompt } from "../../../registry/prompts";
import { createVersion } from "../../../registry/versions";
import { promoteVersion } from "../../../release/promote";
import { createScorerModels } from "../../../scorers";
import { shadowContract } from "../../../stats/contracts";
import { getOnlineEvaluation, putOnlineEvaluation } from "../rules";
import { scorePendingSamples } from "../scoring";
import { runShadow } from "./shadow";
import { parseShadow } from "./shadow-config";
import { shadowComparison } from "./shadow-read";

withOnlineDatabase("shadow-partials");

const models = () =>
  createScorerModels(() =>
    createModelCaller({ id: "default", name: "Local", provider: "openai-compatible", baseUrl: server.baseUrl }),
  );

const warm = "Thank you for waiting, Ana. Your refund is on its way.";
const curt = "Your refund is on its way.";

/** `tone` v1 "Be brief." (live in staging) and v2 "Be warm."; `reply` v1 including it, live in staging. */
async function composed(reply: string, tone: string) {
  await partialLiveIn(tone, "Be brief.", "Be warm.");
  const ctx = f.ctx(f.editor);
  await createPrompt(ctx, {
    name: reply,
    type: "text",
    template: `{{> ${tone}}} Answer {{customer}}.`,
    variables: [{ name: "customer" }],
    config: { model: "support-model" },
  });
  await createVersion(ctx, reply, {
    template: `Answer {{customer}} plainly.`,
    variables: [{ name: "customer" }],
    config: { model: "support-model" },
  });
  await promoteVersion(f.ctx(f.approver), reply, { environment: "staging", version: 1 });
}

describe("a shadow candidate rendered with another version of a partial", () => {
  beforeEach(() => {
    server.reset();
    // The composed text decides the answer: the warm tone thanks the customer, the brief one does not.
    server.script({
      rules: [
        { match: "Be warm.", text: warm },
        { match: "Be brief.", text: curt },
      ],
    });
  });

  it("answers live inputs with the partial's candidate text, apart from the plain version", async () => {
    await composed("support-reply", "shared/tone");
    await putOnlineEvaluation(
      f.ctx(f.approver),
      "support-reply",
      rule({ shadow: { versions: [{ version: 1, partials: { "shared/tone": 2 } }], sampleRate: 1 } }),
    );
    const r = await getOnlineEvaluation(t.db, f.projectId, "support-reply", "staging");
    expect(r.shadow).toMatchObject({ versions: [], compositions: [{ version: 1, partials: { "shared/tone": 2 } }] });
    // Live answers that do not thank: the composition's do, so it wins every input.
    await generations("support-reply", 1, 6, 0);
    await scorePendingSamples(t.db, undefined);

    expect(await runShadow(t.db, () => models())).toMatchObject({ answered: 6, failed: 0, rules: 1 });
    // Every model request carried the composed text: the partial's v2, never the v1 the environment serves.
    expect(server.requests).toHaveLength(6);
    for (const q of server.requests) {
      expect(JSON.stringify(q.body)).toContain("Be warm. Answer Ana.");
      expect(JSON.stringify(q.body)).not.toContain("Be brief.");
    }
    const rows = await t.db
      .select({
        v: shadowResults.candidateVersion,
        p: shadowResults.candidatePartials,
        live: shadowResults.liveVersion,
      })
      .from(shadowResults)
      .where(eq(shadowResults.ruleId, r.id));
    expect(rows).toEqual(Array(6).fill({ v: 1, p: { "shared/tone": 2 }, live: 1 }));
    expect(
      await t.db
        .select({ p: shadowResultCounts.candidatePartials, n: shadowResultCounts.n })
        .from(shadowResultCounts)
        .where(eq(shadowResultCounts.ruleId, r.id)),
    ).toEqual([{ p: { "shared/tone": 2 }, n: 6 }]);
    // Answered once.
    expect(await runShadow(t.db, () => models())).toMatchObject({ answered: 0 });

    const c = await shadowComparison(t.db, f.projectId, "support-reply", "staging", { version: 1, pairs: 2 });
    expect(c.candidates).toHaveLength(1);
    expect(c.candidates[0]).toMatchObject({
      version: 1,
      partials: { "shared/tone": 2 },
      label: "support-reply v1 with shared/tone v2",
      active: true,
      n: 6,
      wins: 6,
      losses: 0,
    });
    expect(c.candidates[0]!.verdict).toMatch(/v1 with shared\/tone v2/);
    expect(c.candidates[0]!.pairs?.[0]).toMatchObject({ candidate: { output: warm }, live: { version: 1 } });

    // The plain version 2 beside it answers on its own, and the two are never mixed.
    await putOnlineEvaluation(
      f.ctx(f.approver),
      "support-reply",
      rule({ shadow: { versions: [2, { version: 1, partials: { "shared/tone": 2 } }], sampleRate: 1 } }),
    );
    server.reset();
    expect(await runShadow(t.db, () => models())).toMatchObject({ answered: 6 });
    expect(server.requests.every((q) => JSON.stringify(q.body).includes("Answer Ana plainly."))).toBe(true);
    const both = await shadowComparison(t.db, f.projectId, "support-reply", "staging");
    expect(both.candidates.map((x) => [x.label, x.answered])).toEqual([
      ["v2", 6],
      ["support-reply v1 with shared/tone v2", 6],
    ]);
    expect(await count("shadow_results", sql`rule_id = ${r.id} and candidate_partials = '{}'::jsonb`)).toBe(6);
    // What GET /api/v1/prompts/{name}/shadow declares it answers.
    expect(shadowContract.safeParse(JSON.parse(JSON.stringify(both))).error).toBeUndefined();

    // Once the environment serves shared/tone v2, the composition renders what is live: nothing more to answer.
    await promoteVersion(f.ctx(f.approver), "shared/tone", { environment: "staging", version: 2 });
    await generations("support-reply", 1, 3, 0);
    await scorePendingSamples(t.db, undefined);
    server.reset();
    await runShadow(t.db, () => models());
    expect(server.requests.some((q) => JSON.stringify(q.body).includes("Answer Ana."))).toBe(false);
    expect(await count("shadow_results", sql`rule_id = ${r.id} and candidate_partials <> '{}'::jsonb`)).toBe(6);
  });

  it("the database keeps a plain answer to the live version out, and a composition's in", async () => {
    await composed("db-reply", "db/tone");
    await putOnlineEvaluation(f.ctx(f.approver), "db-reply", rule());
    await generations("db-reply", 1, 1, 1);
    const r = await getOnlineEvaluation(t.db, f.projectId, "db-reply", "staging");
    const [s] = await queryRows<{ id: number }>(t.db, sql`select id from online_samples where rule_id = ${r.id}`);
    const row = { projectId: f.projectId, ruleId: r.id, sampleId: Number(s!.id), liveVersion: 1, calls: 0 };
    const failed = { ...row, status: "failed" as const, candidateVersion: 1 };
    await expect(t.db.insert(shadowResults).values(failed)).rejects.toThrow();
    await t.db.insert(shadowResults).values({ ...failed, candidatePartials: { "db/tone": 2 } });
    // One answer per sample and candidate: the same composition again is refused, another one is not.
    await expect(
      t.db.insert(shadowResults).values({ ...failed, candidatePartials: { "db/tone": 2 } }),
    ).rejects.toThrow();
    await t.db.insert(shadowResults).values({ ...failed, candidatePartials: { "db/tone": 1 } });
    expect(
      await t.db
        .select({ p: shadowResultCounts.candidatePartials, n: shadowResultCounts.n })
        .from(shadowResultCounts)
        .where(eq(shadowResultCounts.ruleId, r.id))
        .orderBy(sql`${shadowResultCounts.candidatePartials}::text`),
    ).toEqual([
      { p: { "db/tone": 1 }, n: 1 },
      { p: { "db/tone": 2 }, n: 1 },
    ]);
    await t.db.delete(shadowResults).where(eq(shadowResults.ruleId, r.id));
    expect(await count("shadow_result_counts", sql`rule_id = ${r.id} and n <> 0`)).toBe(0);
  });

  it("compares candidates only with live samples of the composition served now", async () => {
    await composed("faq-reply", "faq/tone");
    await putOnlineEvaluation(f.ctx(f.approver), "faq-reply", rule({ shadow: { versions: [2], sampleRate: 1 } }));
    // Two answers of v1 when faq/tone v2 was served (another text), two of the composition served now, two unknown.
    await generations("faq-reply", 1, 2, 0, "staging", undefined, "faq/tone@2");
    await generations("faq-reply", 1, 2, 0, "staging", undefined, "faq/tone@1");
    await generations("faq-reply", 1, 2, 0);
    await scorePendingSamples(t.db, undefined);
    expect(await runShadow(t.db, () => models())).toMatchObject({ answered: 4 });
    const partials = await queryRows<{ partials: string | null }>(
      t.db,
      sql`select s.partials from shadow_results r join online_samples s on s.id = r.sample_id
          join online_eval_rules u on u.id = r.rule_id join prompts p on p.id = u.prompt_id where p.name = 'faq-reply'
          order by s.partials nulls last`,
    );
    expect(partials.map((p) => p.partials)).toEqual(["faq/tone@1", "faq/tone@1", null, null]);
  });

  it("refuses a bad composition, naming the field", async () => {
    await composed("val-reply", "val/tone");
    const bad = (shadow: unknown) => () => parseShadow(shadow);
    expect(bad({ versions: [{ version: 1 }] })).toThrow(
      expect.objectContaining({ code: "unprocessable", details: { field: "shadow.versions.0.partials" } }),
    );
    expect(bad({ versions: [2, { version: 1, partials: {} }] })).toThrow(
      /shadow\.versions\.1\.partials: must name at least one partial/,
    );
    expect(bad({ versions: [{ version: 1, partials: { "shared/tone": 0 } }] })).toThrow(
      expect.objectContaining({ details: { field: "shadow.versions.0.partials.shared/tone" } }),
    );
    expect(bad({ versions: [{ version: 1, partials: { "shared/tone": 2 }, extra: 1 }] })).toThrow(
      expect.objectContaining({ details: { field: "shadow.versions.0" } }),
    );
    expect(bad({ versions: ["v2"] })).toThrow(
      expect.objectContaining({
        message: "shadow.versions must be version numbers",
        details: { field: "shadow.versions.0" },
      }),
    );
    expect(bad({ versions: [1, 2, 3, 4, { version: 1, partials: { a: 2 } }, 5] })).toThrow(/at most 5 candidates/);
    // The old shape still reads as before, and what a read returns can be written back.
    expect(parseShadow({ versions: [3, 2, 3] })).toMatchObject({ versions: [2, 3], compositions: [] });
    const read = parseShadow({
      versions: [
        { version: 1, partials: { b: 1, a: 2 } },
        { version: 1, partials: { a: 2, b: 1 } },
      ],
    })!;
    expect(read.compositions).toEqual([{ version: 1, partials: { a: 2, b: 1 } }]);
    expect(parseShadow(read)).toEqual(read);

    // What only the database can say: the version, the partial's version, and that the version includes it.
    const put = (versions: unknown[]) =>
      failure(putOnlineEvaluation(f.ctx(f.approver), "val-reply", rule({ shadow: { versions, sampleRate: 1 } })));
    expect(await put([{ version: 9, partials: { "val/tone": 2 } }])).toMatchObject({
      code: "unprocessable",
      message: "shadow.versions: val-reply v9 with val/tone v2: val-reply has no version 9 (its latest is 2)",
      details: { field: "shadow.versions" },
    });
    expect(await put([{ version: 1, partials: { "val/tone": 7 } }])).toMatchObject({
      message: expect.stringMatching(/^shadow\.versions: val-reply v1 with val\/tone v7: .*no version 7/),
      details: { field: "shadow.versions", partial: "val/tone" },
    });
    expect(await put([{ version: 2, partials: { "val/tone": 2 } }])).toMatchObject({
      message:
        "shadow.versions: val-reply v2 with val/tone v2: val-reply version 2 does not include val/tone as staging serves it",
      details: { field: "shadow.versions" },
    });
    expect(await put([{ version: 1, partials: { "val-reply": 1 } }])).toMatchObject({
      message: "shadow.versions: val-reply v1 with val-reply v1: val-reply is the prompt being run",
    });
  });
});
