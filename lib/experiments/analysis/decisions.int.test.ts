// The experiments list's stored calls against a real database: a page view of the list (or of the prompt page's
// card) reads them and analyses nothing; the scheduled job, the experiment's page, a start and a reweight
// refresh them; after a refresh the list names the page's winner with the page's verdict; an older reading or
// another phase's never replaces the stored one; a stop drops it.
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { queryRows } from "../../../db/client";
import { experimentDecisions } from "../../../db/schema";
import { ingestEvents } from "../../ingest/ingest";
import { getPrompt } from "../../registry/prompts";
import { promoteVersion } from "../../release/promote";
import { generators } from "../../stats/random";
import { experimentOverview } from "../../views/experiment-overview";
import { promptOverview } from "../../views/prompt-overview";
import { decidingComparison } from "./adjusted";
import { assign } from "../assign";
import { getExperimentResults, recordDecision, refreshDecisions } from "./decisions";
import { setExperimentWeights, startExperiment, stopExperiment } from "../lifecycle";
import { experimentResults } from "./results";
import { createExperiment } from "../store";
import { experimentSummaries } from "./experiment-summaries";
import { base, f, servedPrompt, split, t, withExperimentsDatabase } from "../../../test/experiments-fixture";
import { projectContext } from "../../context";
import { noEvents } from "../../announcements";

// Counts the analyses (the real function runs): a list view must not start one.
vi.mock("./results", async (original) => {
  const m = await original<typeof import("./results")>();
  return { ...m, experimentResults: vi.fn(m.experimentResults) };
});
const analyses = vi.mocked(experimentResults);
// Counted, not matched: a failing matcher on the mock would print its calls, database handle included.
const analysed = () => analyses.mock.calls.length;
// (A block: a function returned from beforeEach would be run as its cleanup.)
beforeEach(() => {
  analyses.mockClear();
});

withExperimentsDatabase("exp-decisions");

const DAY = 86_400_000;

/**
 * A running sequential experiment on `name` where CUPED decides: 200 subjects whose staging history explains
 * their quality score, B +3 (as in cuped.int.test.ts). The events during the experiment arrive after the start.
 */
async function decidedExperiment(name: string) {
  await servedPrompt(name, 2);
  const seed = `${name}-seed`;
  const e = await createExperiment(
    f.ctx(f.approver),
    base(name, { seed, primaryMetric: { name: "quality", kind: "continuous", goal: "increase" } }),
  );
  const g = generators(name);
  const level = Array.from({ length: 200 }, () => g.normal(50, 10));
  const score = (s: number) => level[s]! + g.normal(0, 2);
  const common = { type: "metric", name: "quality", prompt: name, environment: "staging" };
  const now = new Date();
  const history = level.flatMap((_, s) =>
    [2, 3].map((d) => ({
      ...common,
      id: `${name}-pre-${s}-${d}`,
      version: 1,
      subject: `${name}${s}`,
      value: score(s),
      at: new Date(now.getTime() - d * DAY).toISOString(),
    })),
  );
  await ingestEvents(t.db, f.projectId, { events: history }, now);
  await startExperiment(f.ctx(f.approver), e.id);
  const during = level.flatMap((_, s) => {
    const variant = assign(split(seed), `${name}${s}`)!.key;
    const at = { ...common, version: variant === "B" ? 2 : 1, subject: `${name}${s}`, experimentId: e.id, variant };
    return [
      { ...at, id: `${name}-x-${s}`, type: "exposure" },
      { ...at, id: `${name}-post-${s}`, value: score(s) + (variant === "B" ? 3 : 0) },
    ];
  });
  return { e, ingest: () => ingestEvents(t.db, f.projectId, { events: during }) };
}

const stored = async (id: string) =>
  (await t.db.select().from(experimentDecisions).where(eq(experimentDecisions.experimentId, id)))[0];
const listed = async (prompt: string, now?: () => Date) =>
  (await experimentSummaries(t.db, f.projectId, { prompt }, now))[0]!;

describe("the experiments list's stored call", () => {
  it("is read, not computed, by every list view; refreshed by the schedule and the page, it is the page's call", async () => {
    const { e, ingest } = await decidedExperiment("dec-main");
    // The start stored phase 1's call: nobody yet.
    const atStart = (await stored(e.id))!;
    expect(atStart).toMatchObject({ phase: 1, subjects: 0, winner: null });
    await ingest();

    // Views of the list and of the prompt page: no analysis, the call as computed at the start, and its age.
    analyses.mockClear();
    const threeMinutesLater = () => new Date(atStart.computedAt.getTime() + 3 * 60_000 + 5_000);
    const list = await listed("dec-main", threeMinutesLater);
    await experimentSummaries(t.db, f.projectId);
    const prompt = await getPrompt(t.db, f.projectId, "dec-main");
    const card = (await promptOverview(projectContext(t.db, f.viewer, f.projectId, noEvents), prompt, {})).running[0]!;
    expect(analysed()).toBe(0);
    expect(list).toMatchObject({ subjects: 0, winner: null, computedAt: atStart.computedAt.toISOString() });
    expect(list.ageSeconds).toBe(185);
    expect(card).toMatchObject({ id: e.id, subjects: 0, winner: null, computedAt: list.computedAt });
    expect((await stored(e.id))!.computedAt).toEqual(atStart.computedAt);

    // The scheduled run computes it once, and the list then names the page's winner with the page's verdict.
    const ranAt = new Date(atStart.computedAt.getTime() + 5 * 60_000);
    const run = await refreshDecisions(t.db, { now: () => ranAt });
    expect(run).toMatchObject({ failed: [], postponed: 0 });
    expect(analysed()).toBe(run.refreshed);
    const page = (await experimentOverview(t.db, f.projectId, e.id))!.results;
    analyses.mockClear();
    const after = await listed("dec-main", () => ranAt);
    expect(analysed()).toBe(0);
    expect(page.winner).toBe("B");
    expect(after).toMatchObject({
      subjects: page.arms.reduce((n, a) => n + a.subjects, 0),
      progress: { smallestArm: page.progress.smallestArm, planned: page.plannedSamplePerArm },
      winner: page.winner,
      verdict: page.verdict,
      srmOk: page.srm.ok,
    });
    const deciding = decidingComparison(page.comparisons[0]!.metrics.quality!);
    expect(after.comparisons).toEqual([
      { variant: "B", lift: deciding.lift, ci: deciding.ci, pValue: deciding.pValue, significant: true, cuped: true },
    ]);
  });

  it("is stored by the experiment's page and the results API, unless they read another look-back", async () => {
    const { e, ingest } = await decidedExperiment("dec-page");
    await ingest();
    const opened = new Date(Date.now() + 60_000);
    const page = (await experimentOverview(t.db, f.projectId, e.id, () => opened))!.results;
    expect(await listed("dec-page")).toMatchObject({
      winner: page.winner,
      verdict: page.verdict,
      computedAt: opened.toISOString(),
    });

    const later = new Date(opened.getTime() + 60_000);
    await getExperimentResults(t.db, f.projectId, e.id, { lookbackDays: 1 }, () => later);
    expect((await stored(e.id))!.computedAt).toEqual(opened);
    await getExperimentResults(t.db, f.projectId, e.id, {}, () => later);
    expect((await stored(e.id))!.computedAt).toEqual(later);
  });

  it("is computed once for viewers who ask at the same time, and again for one who asks after", async () => {
    const { e, ingest } = await decidedExperiment("dec-together");
    await ingest();
    const at = await Promise.all(Array.from({ length: 8 }, () => getExperimentResults(t.db, f.projectId, e.id)));
    for (const r of at) expect(r).toBe(at[0]);
    const after = await getExperimentResults(t.db, f.projectId, e.id);
    expect(after).not.toBe(at[0]);
    expect(after.verdict).toBe(at[0]!.verdict);
  });

  it("never takes an older reading or another phase's; a reweight stores the new phase's, a stop drops it", async () => {
    const { e, ingest } = await decidedExperiment("dec-phase");
    await ingest();
    const phase1 = await experimentResults(t.db, f.projectId, e.id, { perSubject: "decision" });
    const read = new Date(Date.now() + 60_000);
    expect(await recordDecision(t.db, phase1, read)).toBe(true);
    // A slower reader that read before: refused.
    expect(await recordDecision(t.db, phase1, new Date(read.getTime() - 1))).toBe(false);
    expect((await stored(e.id))!.computedAt).toEqual(read);

    // A reweight re-randomizes: phase 2 starts with nobody, and phase 1's call is no longer shown or stored.
    await setExperimentWeights(f.ctx(f.approver), e.id, { weights: { A: 0.6, B: 0.4 } });
    const list = await listed("dec-phase");
    expect(list).toMatchObject({ subjects: 0, winner: null, variants: [{ weight: 0.6 }, { weight: 0.4 }] });
    expect((await stored(e.id))!.phase).toBe(2);
    expect(await recordDecision(t.db, phase1, new Date(read.getTime() + DAY))).toBe(false);
    expect((await stored(e.id))!.phase).toBe(2);

    await stopExperiment(f.ctx(f.approver), e.id, { decision: { keep: "control" } });
    expect(await stored(e.id)).toBeUndefined();
    expect(await listed("dec-phase")).toMatchObject({ decision: "Kept the control", computedAt: null, winner: null });
  });

  it("runs the oldest first within its budget, and drops the calls of experiments stopped otherwise", async () => {
    await servedPrompt("dec-x", 2);
    await servedPrompt("dec-y", 2);
    const x = await createExperiment(f.ctx(f.approver), base("dec-x", { name: "dec-x" }));
    const y = await createExperiment(f.ctx(f.approver), base("dec-y", { name: "dec-y" }));
    await startExperiment(f.ctx(f.approver), x.id);
    await startExperiment(f.ctx(f.approver), y.id);
    const yBefore = (await stored(y.id))!.computedAt;
    // x has no call (as after a failed refresh): it goes first, and with no budget left it is the only one.
    await t.db.delete(experimentDecisions).where(eq(experimentDecisions.experimentId, x.id));
    expect((await listed("dec-x")).computedAt).toBeNull();
    const at = new Date(Date.now() + 60_000);
    const run = await refreshDecisions(t.db, { now: () => at, budgetMs: 0 });
    expect(run.refreshed).toBe(1);
    expect(run.postponed).toBeGreaterThan(0);
    expect((await listed("dec-x")).computedAt).toBe(at.toISOString());
    expect((await stored(y.id))!.computedAt).toEqual(yBefore);

    // A deployment in its environment stops y (the deployment log's trigger): the next run drops its call.
    await promoteVersion(f.ctx(f.approver), "dec-y", { environment: "staging", version: 2 });
    expect(await stored(y.id)).toBeDefined();
    const next = await refreshDecisions(t.db, { now: () => at });
    expect(next.dropped).toBe(1);
    expect(await stored(y.id)).toBeUndefined();
    const left = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from experiment_decisions d join experiments e on e.id = d.experiment_id
           where e.status <> 'running'`,
    );
    expect(left[0]!.n).toBe(0);
  });
});
