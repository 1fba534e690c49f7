// Shadow evaluation's budgets: the daily call and cost caps of a rule stop its answers with a notice (in
// the run's result and in the comparison) until the next UTC day, and one project's rules together get
// a bounded share of a run, so a busy project cannot hold the job for the others.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { shadowResults } from "../../../db/schema";
import { ingestEvents } from "../../events/ingest";
import { createModelCaller } from "../../llm/caller";
import { createPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { promote } from "../../release/promote";
import { createScorerModels } from "../../scorers";
import { seedProject, type Fixture } from "../../../test/domain-fixtures";
import { f, nextSeq, rule, server, t, withOnlineDatabase } from "../../../test/online-fixture";
import { getOnlineRule, putOnlineRule } from "./rules";
import { scorePendingSamples } from "./scoring";
import { runShadow } from "./shadow";
import { shadowComparison } from "./shadow-read";

withOnlineDatabase("online-shadow-budget");

// "support-model" costs $1 per 1,000 input tokens, and every candidate answer reports 1,000: $1 an answer.
const models = () =>
  createScorerModels(() =>
    createModelCaller(
      { id: "default", name: "Local", provider: "openai-compatible", baseUrl: server.baseUrl, maxRetries: 0 },
      { prices: { "support-model": { inputPerMTok: 1000, outputPerMTok: 0 } } },
    ),
  );

const judge = {
  type: "llm_judge",
  name: "preference",
  mode: "pairwise",
  model: "judge-1",
  rubric: "The reply should thank the customer for waiting.",
};

/** In project `fx`: versions "v1".."v3" on a model, v1 live in staging, a shadow rule, n scored live outputs. */
async function live(fx: Fixture, name: string, n: number, shadow: Record<string, unknown>) {
  const config = { model: "support-model" };
  await createPrompt(fx.ctx(fx.editor), { name, type: "text", template: "v1", config });
  for (let v = 2; v <= 3; v++) await createVersion(fx.ctx(fx.editor), name, { template: `v${v}`, config });
  await promote(fx.ctx(fx.approver), name, { environment: "staging", version: 1 });
  await putOnlineRule(fx.ctx(fx.approver), name, rule({ shadow }));
  const events = Array.from({ length: n }, () => {
    const i = nextSeq();
    return {
      id: `gen-${name}-${i}`,
      type: "generation",
      prompt: name,
      version: 1,
      environment: "staging",
      subject: `user-${i}`,
      latencyMs: 100,
      input: { customer: "Ana" },
      output: "Thank you for waiting, Ana.",
    };
  });
  expect((await ingestEvents(t.db, fx.projectId, { events })).accepted).toBe(n);
  await scorePendingSamples(t.db, undefined);
  return (await getOnlineRule(t.db, fx.projectId, name, "staging")).id;
}

const answers = async (ruleId: string) =>
  (await t.db.select({ id: shadowResults.id }).from(shadowResults).where(eq(shadowResults.ruleId, ruleId))).length;

describe("shadow budgets", () => {
  beforeEach(() => {
    server.reset();
    server.script({
      rules: [
        { match: "Which answer meets the rubric", json: { reasoning: "Same.", winner: "tie" } },
        { match: "v2", text: "Thank you, Ana.", usage: { input: 1000, output: 5 } },
      ],
    });
  });

  it("stops at the daily call cap with a notice, and resumes the next day", async () => {
    const id = await live(f, "sh-cap", 10, { versions: [2], sampleRate: 1, maxCallsPerDay: 9, judge });
    const now = new Date();
    const first = await runShadow(t.db, () => models(), { now });
    expect(first).toMatchObject({ answered: 3 });
    expect(first.stopped).toEqual([{ ruleId: id, notice: expect.stringMatching(/daily cap of 9 model calls/) }]);
    const c = await shadowComparison(t.db, f.projectId, "sh-cap", "staging", { now });
    expect(c.budget).toMatchObject({ calls: 9, callsPerAnswer: 3 });
    expect(c.budget!.stopped).toMatch(/daily cap of 9 model calls is reached/);
    expect(await runShadow(t.db, () => models(), { now })).toMatchObject({ answered: 0, rules: 0 });
    const tomorrow = new Date(now.getTime() + 24 * 3600_000);
    expect(await runShadow(t.db, () => models(), { now: tomorrow })).toMatchObject({ answered: 3 });
  });

  it("stops at the daily cost cap with a notice, though calls are left, and resumes the next day", async () => {
    // $1 an answer, a $2.50 cap: the third answer reaches it ($3 spent), the fourth is never asked for.
    const id = await live(f, "sh-cost", 10, { versions: [2], sampleRate: 1, maxCostUsdPerDay: 2.5 });
    const now = new Date();
    const first = await runShadow(t.db, () => models(), { now, concurrency: 1, ruleId: id });
    expect(first).toMatchObject({ answered: 3, failed: 0 });
    expect(first.stopped).toEqual([{ ruleId: id, notice: expect.stringMatching(/^the daily cost cap of \$2\.50/) }]);
    expect(server.requests).toHaveLength(3);
    expect(await answers(id)).toBe(3);

    const c = await shadowComparison(t.db, f.projectId, "sh-cost", "staging", { now });
    expect(c.budget).toMatchObject({ calls: 3, maxCalls: 500, maxCostUsd: 2.5 });
    expect(c.budget!.costUsd).toBeCloseTo(3, 6);
    expect(c.budget!.stopped).toMatch(/daily cost cap of \$2\.50 is reached \(\$3\.0000 spent today\)/);

    // Stopped for the rest of the day: no call is made, and the run says why.
    const again = await runShadow(t.db, () => models(), { now, ruleId: id });
    expect(again).toMatchObject({ answered: 0, rules: 0, stopped: [{ ruleId: id }] });
    expect(server.requests).toHaveLength(3);
    const tomorrow = new Date(now.getTime() + 24 * 3600_000);
    const next = await runShadow(t.db, () => models(), { now: tomorrow, concurrency: 1, ruleId: id });
    expect(next).toMatchObject({ answered: 3 });
    expect(await answers(id)).toBe(6);
  });

  it("gives each project a bounded share of a run, taking projects in turn", async () => {
    const busy = await seedProject(t.db, "online-shadow-busy");
    const quiet = await seedProject(t.db, "online-shadow-quiet");
    const a1 = await live(busy, "sh-busy-1", 8, { versions: [2], sampleRate: 1 });
    const a2 = await live(busy, "sh-busy-2", 8, { versions: [2], sampleRate: 1 });
    const b = await live(quiet, "sh-quiet", 3, { versions: [2], sampleRate: 1 });
    const now = new Date(Date.now() + 2 * 24 * 3600_000);
    const busyAnswers = async () => [await answers(a1), await answers(a2)].sort((x, y) => x - y);
    await runShadow(t.db, () => models(), { now, perProject: 5 });
    // The busy project's two rules share its 5 answers; the quiet one is answered in full all the same.
    expect(await busyAnswers()).toEqual([0, 5]);
    expect(await answers(b)).toBe(3);
    // The next run carries on where the busy project's share ended: the first rule's last 3, then 2.
    await runShadow(t.db, () => models(), { now, perProject: 5 });
    expect(await busyAnswers()).toEqual([2, 8]);
    expect(await answers(b)).toBe(3);
  });
});
