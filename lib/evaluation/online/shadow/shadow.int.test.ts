// Shadow evaluation: candidate versions answer sampled live inputs off the user's path, through the
// local model server; the comparison is paired on the same samples, and the pairwise judge is asked in
// both orders at temperature 0, each order's verdict kept. Budgets: shadow-budget.int.test.ts.
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { shadowResults } from "../../../../db/schema";
import { ingestEvents } from "../../../ingest/ingest";
import { createPrompt } from "../../../registry/prompts";
import { createVersion } from "../../../registry/versions";
import { promoteVersion } from "../../../release/promote";
import { getOnlineEvaluation, putOnlineEvaluation } from "../rules";
import { scorePendingSamples } from "../scoring";
import { runShadow } from "./shadow";
import { shadowComparison } from "./shadow-read";
import { liveVersion } from "../../../../test/domain-fixtures";
import { scorerModelsOn } from "../../../../test/scorer-models";
import {
  count,
  f,
  generations,
  promptLiveIn,
  rule,
  server,
  t,
  thanksJudge as judge,
  withOnlineDatabase,
} from "../../../../test/online-fixture";

withOnlineDatabase("online-shadow");

const models = () => scorerModelsOn(server);

const curt = "Your refund is on its way.";
const warm = "Thank you for waiting, Ana. Your refund is on its way.";
// The candidates' answers (their templates are "v2", "v3"), and a judge that prefers the answer that thanks.
const script = {
  rules: [
    { regex: "## Answer A\\n[^#]*Thank you", json: { reasoning: "A thanks the customer.", winner: "A" } },
    { match: "Which answer meets the rubric", json: { reasoning: "B thanks the customer.", winner: "B" } },
    { match: "v2", text: curt },
    { match: "v3", text: warm },
  ],
};

/** Versions "v1".."v{n}" that run on a model, v1 live in staging. */
async function modelPrompt(name: string, versions: number) {
  const config = { model: "support-model" };
  await createPrompt(f.ctx(f.editor), { name, type: "text", template: "v1", config });
  for (let v = 2; v <= versions; v++) await createVersion(f.ctx(f.editor), name, { template: `v${v}`, config });
  await promoteVersion(f.ctx(f.approver), name, { environment: "staging", version: 1 });
}

/** A prompt with 3 versions, v1 live in staging, with the rule in place and n scored live outputs. */
async function live(name: string, n: number, good: number, shadow: Record<string, unknown>) {
  await modelPrompt(name, 3);
  await putOnlineEvaluation(f.ctx(f.approver), name, rule({ shadow }));
  await generations(name, 1, n, good);
  await scorePendingSamples(t.db, undefined);
}

describe("shadow evaluation", () => {
  beforeEach(() => {
    server.reset();
    server.script(script);
  });

  it("a candidate answers every sampled input; a worse one shows a significant paired loss", async () => {
    await live("sh-loss", 24, 24, { versions: [2, 3], sampleRate: 1 });
    const first = await runShadow(t.db, () => models(), { limit: 100 });
    expect(first).toMatchObject({ answered: 48, failed: 0, rules: 1 });
    // Answered once: the next run finds nothing new.
    expect(await runShadow(t.db, () => models())).toMatchObject({ answered: 0, failed: 0 });

    const c = await shadowComparison(t.db, f.projectId, "sh-loss", "staging");
    expect(c.liveVersion).toBe(1);
    const [v2, v3] = c.candidates;
    expect(v2).toMatchObject({ version: 2, n: 24, wins: 0, ties: 0, losses: 24, winsFrom: "scores" });
    expect(v2!.paired).toMatchObject({ meanDiff: -1, significant: true, direction: "worse", decidedBy: "wilcoxon" });
    expect(v2!.significantLoss).toBe(true);
    expect(v2!.verdict).toMatch(/^v2 is worse than live v1 on thanks by 100\.0 points/);
    expect(v3).toMatchObject({ version: 3, n: 24, ties: 24, losses: 0, significantLoss: false });
    expect(v3!.verdict).toMatch(/^No scorer differs significantly between v3 and live v1/);
    // The live answers took 100 ms (the events say so); the candidate's, what the local server took.
    const rule = await getOnlineEvaluation(t.db, f.projectId, "sh-loss", "staging");
    const took = await t.db
      .select({ ms: shadowResults.latencyMs })
      .from(shadowResults)
      .where(and(eq(shadowResults.ruleId, rule.id), eq(shadowResults.candidateVersion, 2)));
    expect(took).toHaveLength(24);
    expect(v2!.latencyMsDiff).toBeCloseTo(took.reduce((s, r) => s + r.ms!, 0) / 24 - 100, 6);
    expect(c.budget).toMatchObject({ calls: 48, maxCalls: 500, callsPerAnswer: 1, stopped: null });

    // v3 goes live: it is no longer a candidate, and v2's answers against v1 are counted apart.
    await promoteVersion(f.ctx(f.approver), "sh-loss", { environment: "staging", version: 3 });
    expect(await runShadow(t.db, () => models())).toMatchObject({ answered: 0 });
    const after = await shadowComparison(t.db, f.projectId, "sh-loss", "staging");
    expect(after.liveVersion).toBe(3);
    expect(after.candidates.map((x) => [x.version, x.n, x.earlierLive])).toEqual([[2, 0, 24]]);
  });

  it("renders the candidate with the live input's variables, as the environment serves it", async () => {
    await modelPrompt("sh-vars", 1);
    await createVersion(f.ctx(f.editor), "sh-vars", {
      template: "Write to {{customer}} in v2 style.",
      variables: [{ name: "customer" }],
      config: { model: "support-model" },
    });
    await putOnlineEvaluation(f.ctx(f.approver), "sh-vars", rule({ shadow: { versions: [2], sampleRate: 1 } }));
    await generations("sh-vars", 1, 3, 3);
    await scorePendingSamples(t.db, undefined);
    await runShadow(t.db, () => models());
    expect(server.requests.map((r) => r.prompt)).toEqual(Array(3).fill("Write to Ana in v2 style."));
    // Nothing of this touched what is served.
    expect(await liveVersion(t.db, f, "sh-vars", "staging")).toBe(1);
  });

  it("keeps a live input that is the user's message: the judge reads it, shadow skips it and says so", async () => {
    await modelPrompt("sh-text", 2);
    const polite = { type: "llm_judge", name: "polite", model: "judge-1", rubric: "Polite?", includeInput: true };
    await putOnlineEvaluation(
      f.ctx(f.approver),
      "sh-text",
      rule({ scorers: [polite], shadow: { versions: [2], sampleRate: 1 } }),
    );
    const gen = (id: string, input: unknown) => ({
      ...{ id, type: "generation", prompt: "sh-text", version: 1, environment: "staging", subject: id },
      ...{ latencyMs: 5, input, output: warm },
    });
    const events = [gen("m-1", "Where is my refund?"), gen("m-2", [{ role: "user", content: "Hi" }])];
    await ingestEvents(t.db, f.projectId, { events: [...events, gen("m-3", { customer: "Ana" })] });
    server.script({ rules: [{ match: "Polite?", json: { reasoning: "Warm.", score: 5 } }, ...script.rules] });
    await scorePendingSamples(t.db, () => models());
    // The judge was shown the message as the user wrote it, and the messages as JSON.
    const prompts = server.requests.map((r) => r.prompt ?? "");
    expect(prompts.some((p) => p.includes("<input>\nWhere is my refund?\n</input>"))).toBe(true);
    expect(prompts.some((p) => p.includes('"content": "Hi"'))).toBe(true);
    server.reset();
    server.script(script);
    expect(await runShadow(t.db, () => models())).toMatchObject({ answered: 1, failed: 0 });
    const c = await shadowComparison(t.db, f.projectId, "sh-text", "staging");
    expect(c.inputs).toEqual({ samples: 3, withoutVariables: 2 });
  });

  it("the pairwise judge decides wins, asked in both orders at temperature 0", async () => {
    await live("sh-judge", 12, 6, { versions: [3], sampleRate: 1, judge });
    await runShadow(t.db, () => models());
    const [v3] = (await shadowComparison(t.db, f.projectId, "sh-judge", "staging", { version: 3 })).candidates;
    // v3 always thanks: it wins where the live answer did not, and ties where both thank (the judge
    // says "A" in both orders there, so the verdict changed with the order).
    expect(v3).toMatchObject({ n: 12, wins: 6, ties: 6, losses: 0, winsFrom: "judge" });
    const tie = v3!.pairs!.find((p) => p.live.output === warm)!;
    // The reason names the sides as the page does: the candidate version and the live answer.
    expect(tie.preference).toMatchObject({
      winner: "tie",
      reason: expect.stringMatching(
        /^tie: the verdict changed when the order was swapped \(candidate v3 first: the candidate v3; live answer \(v1\) first: the live answer \(v1\)\)/,
      ),
    });
    // Each order's verdict is kept: here the first-shown answer won each time.
    expect(tie.preference).toMatchObject({ orders: { candidateFirst: "candidate", liveFirst: "live" } });
    expect(v3!.pairs!.find((p) => p.live.output === curt)!.preference).toMatchObject({
      winner: "candidate",
      orders: { candidateFirst: "candidate", liveFirst: "candidate" },
      reason: expect.stringMatching(
        /^the candidate v3 wins in both orders\. Candidate v3 first: .* \| Live answer \(v1\) first: /,
      ),
    });
    // Candidate answer + two judge calls per sample, the judge's at temperature 0.
    expect(server.requests).toHaveLength(36);
    const judged = server.requests.filter((r) => r.prompt.includes("Which answer meets the rubric"));
    expect(judged).toHaveLength(24);
    expect(judged.every((r) => (r.body as { temperature?: number }).temperature === 0)).toBe(true);
  });

  it("keeps a failed answer with its reason; outputs without variables are not shadowed", async () => {
    await live("sh-fail", 4, 4, { versions: [2], sampleRate: 1 });
    const event = { type: "generation", prompt: "sh-fail", version: 1, environment: "staging", latencyMs: 5 };
    await ingestEvents(t.db, f.projectId, { events: [{ ...event, id: "sh-fail-novars", subject: "s", output: warm }] });
    await scorePendingSamples(t.db, undefined);
    server.script({ rules: [{ match: "v2", fail: { status: 400, message: "model not found" } }] });
    expect(await runShadow(t.db, () => models())).toMatchObject({ answered: 0, failed: 4 });
    const [v2] = (await shadowComparison(t.db, f.projectId, "sh-fail", "staging")).candidates;
    expect(v2).toMatchObject({ n: 0, failed: 4, lastError: expect.stringMatching(/v2 did not answer: .*400/) });
    const [row] = await t.db.select().from(shadowResults).where(eq(shadowResults.candidateVersion, 2)).limit(1);
    expect(row).toBeDefined();
  });

  it("names an environment the project does not have, and one without a rule", async () => {
    await live("sh-env", 2, 2, { versions: [2], sampleRate: 1 });
    await expect(shadowComparison(t.db, f.projectId, "sh-env", "prodution")).rejects.toMatchObject({
      code: "not_found",
      message: "No environment named prodution. This project has: development, staging, production.",
      details: { field: "environment", environment: "prodution" },
    });
    await expect(shadowComparison(t.db, f.projectId, "sh-env", "production")).rejects.toMatchObject({
      code: "not_found",
      message: "sh-env has no online evaluation in production (it has in staging).",
    });
  });

  it("refuses candidates that do not exist and judges that are not pairwise, changing nothing", async () => {
    await promptLiveIn("sh-bad", 2, 1);
    const before = await count("online_eval_rules");
    await expect(
      putOnlineEvaluation(f.ctx(f.approver), "sh-bad", rule({ shadow: { versions: [7] } })),
    ).rejects.toMatchObject({
      code: "unprocessable",
      message: "shadow.versions: sh-bad has no version 7 (its latest is 2)",
    });
    await expect(
      putOnlineEvaluation(
        f.ctx(f.approver),
        "sh-bad",
        rule({ shadow: { versions: [2], judge: { ...judge, mode: "single" } } }),
      ),
    ).rejects.toMatchObject({ code: "unprocessable", details: { field: "shadow.judge" } });
    await expect(
      putOnlineEvaluation(
        f.ctx(f.approver),
        "sh-bad",
        rule({ shadow: { versions: [2], judge: { ...judge, temperature: 0.7 } } }),
      ),
    ).rejects.toMatchObject({
      code: "unprocessable",
      message: expect.stringMatching(/^shadow\.judge\.temperature must be 0 when mode is "pairwise" \(it is 0\.7\)/),
      details: { field: "shadow.judge.temperature" },
    });
    await expect(
      putOnlineEvaluation(f.ctx(f.approver), "sh-bad", rule({ shadow: { versions: [2], sampleRate: 0 } })),
    ).rejects.toMatchObject({ message: "shadow.sampleRate must be above 0 and at most 1" });
    await expect(
      putOnlineEvaluation(f.ctx(f.approver), "sh-bad", rule({ shadow: { versions: [2], bogus: 1 } as never })),
    ).rejects.toMatchObject({ code: "unprocessable", details: { field: "shadow" } });
    expect(await count("online_eval_rules")).toBe(before);
  });
});
