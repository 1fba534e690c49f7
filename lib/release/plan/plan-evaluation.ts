// The release plan's evaluation step: the gate's run of the version against its minimum, its drop from
// the live version's run (mode threshold), and the paired comparison with the live version's run item by
// item (mode paired). In every mode the run must first be evidence: every gate item ran and was scored,
// and a paired comparison has enough real pairs (../gates/gate-evidence.ts). Pure; plan.ts assembles it with the
// other steps.
import { failedRunDetail, pairedItems, pairedShortfall, pairsNeeded } from "../gates/gate-evidence";
import type { GateFacts, PairedGateFacts, PlanAction, PlanFacts, PlanStep } from "./plan";

const EPS = 1e-9;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Whose run the step is about, when not the plan's own version: a prompt that includes the partial being
 * released, rendered with the candidate partial (`partials`) against itself as served now.
 */
export interface EvaluationSubject {
  prompt: string;
  partials: Record<string, number>;
  /** "support-reply version 3 with shared/tone version 2" */
  candidate: string;
  /** "support-reply version 3 as production serves it" */
  live: string;
}

/** "live version 3" starts a sentence capitalised; a prompt's name keeps its own case. */
const cap = (s: string) => (/^(live )?version /.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s);

export function evaluationStep(
  f: PlanFacts,
  g: GateFacts,
  servedBefore: boolean,
  subject?: EvaluationSubject,
): PlanStep {
  const env = f.environment.name;
  const v = f.version;
  const V = subject ? cap(subject.candidate) : `Version ${v}`;
  const liveName = (n: number) => subject?.live ?? `live version ${n}`;
  const items = `${g.dataset.name} (version ${g.datasetVersion}${g.pinned ? ", pinned" : ""})`;
  const run = g.run;
  // A live run with failed items scores only what ran: no drop is measured from it, as from no run at all.
  const baseline = g.baseline?.run?.score != null && g.baseline.run.failedItems === 0 ? g.baseline : null;
  const liveFailed = g.baseline?.run?.failedItems
    ? ` ${cap(liveName(g.baseline.version))}'s run ${g.baseline.run.id} failed on ${g.baseline.run.failedItems} of ${g.items} items, so no drop from it is measured.`
    : "";
  const drop = run?.score != null && baseline ? baseline.run!.score! - run.score : null;
  const numbers = gateNumbers(g, drop);
  const runAction: PlanAction = {
    kind: "run_evaluation",
    environment: env,
    version: v,
    dataset: g.dataset.id,
    datasetVersion: g.datasetVersion,
    ...(subject && { prompt: subject.prompt, partials: subject.partials }),
  };
  // The live side's run: without the candidate partial.
  const liveRunAction = (version: number): PlanAction => ({ ...runAction, version, partials: undefined });
  const threshold = g.mode !== "paired";
  const title =
    g.mode === "threshold"
      ? `An evaluation on ${g.dataset.name} scoring at least ${pct(g.minScore)}`
      : `An evaluation on ${g.dataset.name} ${g.minScore > 0 ? `scoring at least ${pct(g.minScore)} and ` : ""}no worse than the live version`;
  const step = (met: boolean, detail: string, action: PlanAction | null): PlanStep => ({
    id: "evaluation",
    met,
    title,
    detail,
    action: met ? null : action,
    evaluation: numbers,
  });
  if (servedBefore)
    return step(true, `${env} served version ${v} before: an experiment may serve it as a rollback could.`, null);
  if (!run) {
    if (g.inProgress)
      return step(
        false,
        `A run on ${items} is ${g.inProgress.status} (${g.inProgress.done} of ${g.inProgress.total}).`,
        { kind: "wait_for_run", run: g.inProgress.id },
      );
    const why = g.outdated ? ` Its last run does not count: ${g.outdated.why}.` : "";
    return step(false, `${V} has no completed evaluation run on ${items} with the gate's scorers.${why}`, runAction);
  }
  // Before any score: a score over the items that happened to run says nothing about the others.
  const failed = failedRunDetail(run, subject?.candidate ?? `version ${v}`, g.items, items);
  if (failed) return step(false, failed, runAction);
  if (run.score === null) return step(false, `Run ${run.id} has no score: no scorer could judge any item.`, runAction);
  if (run.score + EPS < g.minScore)
    return step(false, `${V} scored ${pct(run.score)} on ${items}, below ${pct(g.minScore)}.`, null);
  if (threshold && drop !== null && drop > g.maxDrop + EPS)
    return step(
      false,
      `${V} scored ${pct(run.score)} on ${items}, ${pct(drop)} below ${liveName(baseline!.version)} (${pct(baseline!.run!.score!)}); at most ${pct(g.maxDrop)} is allowed.`,
      null,
    );
  const scored = `${V} scored ${pct(run.score)} on ${items}${baseline ? ` (${liveName(baseline.version)}: ${pct(baseline.run!.score!)})` : ""}.${threshold ? liveFailed : ""}`;
  if (g.mode === "threshold" || !g.baseline) return step(true, scored, null);
  return pairedStep(g, g.baseline, scored, {
    V,
    items,
    candidate: subject?.candidate ?? `version ${v}`,
    liveName,
    step,
    liveRunAction,
  });
}

function gateNumbers(g: GateFacts, drop: number | null): PlanStep["evaluation"] {
  const run = g.run;
  return {
    dataset: g.dataset.name,
    datasetId: g.dataset.id,
    datasetVersion: g.datasetVersion,
    pinned: g.pinned,
    minScore: g.minScore,
    maxDrop: g.maxDrop,
    run: run?.id ?? null,
    score: run?.score ?? null,
    baseline: g.baseline
      ? { version: g.baseline.version, run: g.baseline.run?.id ?? null, score: g.baseline.run?.score ?? null }
      : null,
    drop,
    items: g.items,
    failedItems: run?.failedItems ?? null,
    pairsNeeded: g.mode === "threshold" ? null : pairsNeeded(g.items),
    mode: g.mode,
    paired: g.paired,
    judges: g.judges,
  };
}

/** The step's wording and its way to say met or not, shared by its threshold and paired checks. */
type Wording = {
  V: string;
  items: string;
  candidate: string;
  liveName: (n: number) => string;
  step: (met: boolean, detail: string, action: PlanAction | null) => PlanStep;
  liveRunAction: (version: number) => PlanAction;
};

/** Mode paired (and both): the paired comparison with the live version's run, item by item. */
function pairedStep(g: GateFacts, baseline: NonNullable<GateFacts["baseline"]>, scored: string, w: Wording): PlanStep {
  const { V, items, liveName, step, liveRunAction } = w;
  const live = baseline.version;
  if (!baseline.run || !g.paired)
    return step(
      false,
      `A paired comparison needs a completed run of ${liveName(live)} on ${items} with the gate's scorers.`,
      liveRunAction(live),
    );
  const short = pairedShortfall(g.paired, g.items, w.candidate, liveName(live), baseline.run);
  if (short)
    return step(
      false,
      short.detail,
      // Pairs missing because the live version's run failed: that is the run to make again.
      short.kind === "too_few" && baseline.run.failedItems ? liveRunAction(live) : null,
    );
  const worse = g.paired.scorers.filter((s) => s.direction === "worse");
  const n = pairedItems(g.paired.scorers, g.items);
  if (worse.length)
    return step(
      false,
      `${V} scores clearly lower than ${liveName(live)} on the same items: ${worse.map(worseBy).join(", and ")} (${n}; paired t test, Holm-adjusted).`,
      null,
    );
  return step(
    true,
    `${scored} Item by item, no gate scorer is clearly lower than ${liveName(live)} (${n}; paired t test).`,
    null,
  );
}

const points = (x: number) => (x * 100).toFixed(1);
const worseBy = (s: PairedGateFacts["scorers"][number]) =>
  `on ${s.name} by ${points(-s.meanDiff!)} points${s.ci ? ` [${points(-s.ci[1])}, ${points(-s.ci[0])}]` : ""}, p = ${s.adjustedPValue!.toPrecision(2)}`;
