// Shadow evaluation's budgets: an answer holds its worst case against the daily call and cost caps
// before its first call, so answers in flight (of one run, or of two runs at once on two instances)
// never pass a cap; at a cap the rule stops with a notice (in the run's result and in the comparison)
// until the next UTC day; and one project's rules together get a bounded share of a run.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { shadowBudgets, shadowResults } from "../../../../db/schema";
import { ingestEvents } from "../../../ingest/ingest";
import { createModelCaller } from "../../../llm/model-caller";
import { replacePriceOverrides } from "../../../llm/project-prices";
import { createPrompt } from "../../../registry/prompts";
import { createVersion } from "../../../registry/versions";
import { promoteVersion } from "../../../release/promote";
import { createScorerModels } from "../../../scorers";
import type { Database } from "../../../../db/client";
import { seedProject, type Fixture } from "../../../../test/domain-fixtures";
import { secondHandle, waitFor } from "../../../../test/jobs";
import { f, nextSeq, rule, server, t, thanksJudge as judge, withOnlineDatabase } from "../../../../test/online-fixture";
import { getOnlineEvaluation, putOnlineEvaluation } from "../rules";
import { scorePendingSamples } from "../scoring";
import { runShadow } from "./shadow";
import { shadowComparison } from "./shadow-read";
import { projectContext } from "../../../context";
import { noEvents } from "../../../announcements";

withOnlineDatabase("online-shadow-budget");

// "support-model" costs $0.01 an output token and nothing for input; a candidate writes at most 100
// tokens (its maxTokens), and the server reports 100: every answer costs $1, its worst case too.
const prices = { "support-model": { inputPerMTok: 0, outputPerMTok: 10_000 } };
const models = () =>
  createScorerModels(() =>
    createModelCaller(
      { id: "default", name: "Local", provider: "openai-compatible", baseUrl: server.baseUrl, maxRetries: 0 },
      { prices },
    ),
  );
const withPrices = (fx: Fixture) =>
  replacePriceOverrides(projectContext(t.db, fx.admin, fx.projectId, noEvents), { prices });

let second: Database;
beforeAll(async () => {
  await withPrices(f);
  second = await secondHandle(t);
});
afterAll(async () => {
  if (second !== t) await second.close();
});

/** In project `fx`: versions "v1".."v3" on a model, v1 live in staging, a shadow rule, n scored live outputs. */
async function live(fx: Fixture, name: string, n: number, shadow: Record<string, unknown>) {
  const config = { model: "support-model", maxTokens: 100 };
  await createPrompt(fx.ctx(fx.editor), { name, type: "text", template: "v1", config });
  for (let v = 2; v <= 3; v++) await createVersion(fx.ctx(fx.editor), name, { template: `v${v}`, config });
  await promoteVersion(fx.ctx(fx.approver), name, { environment: "staging", version: 1 });
  await putOnlineEvaluation(fx.ctx(fx.approver), name, rule({ shadow }));
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
  return (await getOnlineEvaluation(t.db, fx.projectId, name, "staging")).id;
}

const answers = async (ruleId: string) =>
  (await t.db.select({ id: shadowResults.id }).from(shadowResults).where(eq(shadowResults.ruleId, ruleId))).length;
const ledger = async (ruleId: string) =>
  (await t.db.select().from(shadowBudgets).where(eq(shadowBudgets.ruleId, ruleId)))[0];
const candidate = (hold = false) => ({
  rules: [
    { match: "Which answer meets the rubric", json: { reasoning: "Same.", winner: "tie" } },
    { match: "v2", text: "Thank you, Ana.", usage: { input: 1000, output: 100 }, hold },
  ],
});

describe("shadow budgets", () => {
  beforeEach(() => {
    server.reset();
    server.script(candidate());
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
    // $1 an answer, its worst case $1 too, a $2.50 cap: two answers hold $2, the third would pass the
    // cap, so it is never asked for.
    const id = await live(f, "sh-cost", 10, { versions: [2], sampleRate: 1, maxCostUsdPerDay: 2.5 });
    const now = new Date();
    const first = await runShadow(t.db, () => models(), { now, concurrency: 1, ruleId: id });
    expect(first).toMatchObject({ answered: 2, failed: 0 });
    const notice =
      /^the daily cost cap of \$2\.50 is reached \(\$2\.0000 spent today, and an answer may cost up to \$1\.0000\)/;
    expect(first.stopped).toEqual([{ ruleId: id, notice: expect.stringMatching(notice) }]);
    expect(server.requests).toHaveLength(2);
    expect(await answers(id)).toBe(2);

    const c = await shadowComparison(t.db, f.projectId, "sh-cost", "staging", { now });
    expect(c.budget).toMatchObject({ calls: 2, maxCalls: 500, maxCostUsd: 2.5, held: { calls: 0, costUsd: 0 } });
    expect(c.budget!.costUsd).toBeCloseTo(2, 6);
    expect(c.budget!.stopped).toMatch(notice);

    // Stopped for the rest of the day: no call is made, and the run says why.
    const again = await runShadow(t.db, () => models(), { now, ruleId: id });
    expect(again).toMatchObject({ answered: 0, rules: 0, stopped: [{ ruleId: id }] });
    expect(server.requests).toHaveLength(2);
    // A day's row starts from the answers stored that day (Lectern upgraded mid-day): still stopped.
    await t.db.delete(shadowBudgets).where(eq(shadowBudgets.ruleId, id));
    expect(await runShadow(t.db, () => models(), { now, ruleId: id })).toMatchObject({ answered: 0 });
    expect(await ledger(id)).toMatchObject({ calls: 2, costUsd: 2, heldCalls: 0 });
    expect(server.requests).toHaveLength(2);
    const tomorrow = new Date(now.getTime() + 24 * 3600_000);
    const next = await runShadow(t.db, () => models(), { now: tomorrow, concurrency: 1, ruleId: id });
    expect(next).toMatchObject({ answered: 2 });
    expect(await answers(id)).toBe(4);
  });

  it("holds the cap with answers in flight: the ones that would pass it are never made", async () => {
    // Four workers at once near a $2.50 cap: two hold $1 each and wait on the model, the others are refused.
    const id = await live(f, "sh-flight", 8, { versions: [2], sampleRate: 1, maxCostUsdPerDay: 2.5 });
    server.script(candidate(true));
    const now = new Date();
    const run = runShadow(t.db, () => models(), { now, concurrency: 4, ruleId: id });
    await waitFor("two answers in flight and one refused", async () => {
      const row = await ledger(id);
      return server.inFlight === 2 && row?.heldCalls === 2 && row.refusedCostUsd !== null;
    });
    expect(server.requests).toHaveLength(2);
    server.release();
    const result = await run;
    expect(result).toMatchObject({ answered: 2, stopped: [{ ruleId: id }] });
    expect(server.requests).toHaveLength(2);
    expect(await ledger(id)).toMatchObject({ calls: 2, costUsd: 2, heldCalls: 0, heldCostUsd: 0 });
  });

  it("two runs at once (two instances) cannot both take the last places, for cost or for calls", async () => {
    const cost = await live(f, "sh-two-cost", 8, { versions: [2], sampleRate: 1, maxCostUsdPerDay: 2.5 });
    const calls = await live(f, "sh-two-calls", 8, {
      versions: [2],
      sampleRate: 1,
      maxCallsPerDay: 3,
      maxCostUsdPerDay: null,
    });
    server.script(candidate(true));
    const now = new Date();
    for (const [id, places] of [
      [cost, 2],
      [calls, 3],
    ] as const) {
      server.reset();
      const runs = [t.db, second.db].map((db) => runShadow(db, () => models(), { now, concurrency: 4, ruleId: id }));
      await waitFor(`${places} answers in flight and the rest refused`, async () => {
        const row = await ledger(id);
        return server.inFlight === places && row?.heldCalls === places;
      });
      server.release();
      const [a, b] = await Promise.all(runs);
      // Both runs were refused their other answers; the same sample may have been answered by both.
      expect([a!.stopped.length, b!.stopped.length]).toEqual([1, 1]);
      expect(server.requests).toHaveLength(places);
      expect(await ledger(id)).toMatchObject({ calls: places, costUsd: places, heldCalls: 0, heldCostUsd: 0 });
    }
  });

  it("gives each project a bounded share of a run, taking projects in turn", async () => {
    const busy = await seedProject(t.db, "online-shadow-busy");
    const quiet = await seedProject(t.db, "online-shadow-quiet");
    // No cost cap here ($1 an answer): only the share is at stake.
    const shadow = { versions: [2], sampleRate: 1, maxCostUsdPerDay: null };
    const a1 = await live(busy, "sh-busy-1", 8, shadow);
    const a2 = await live(busy, "sh-busy-2", 8, shadow);
    const b = await live(quiet, "sh-quiet", 3, shadow);
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
