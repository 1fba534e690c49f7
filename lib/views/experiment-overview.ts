// The experiment page (read model): the experiment as the API shows it, its results, the environment it runs
// in, the commit messages of its variants' versions, and what the page draws from them — the interval's name
// (fixed or always-valid, at the experiment's level), the lift chart's series from the current phase's start
// to now (or the stop), and whether the weights changed over time. Null when the project has no such
// experiment. The page renders it, and re-reads it while the experiment runs, as often as its own cost allows
// (`refreshEveryMs`).
import type { Db } from "../../db/client";
import type { ReadSource } from "../../db/replica";
import { isAppError } from "../errors";
import { getExperimentResults } from "../experiments/analysis/decisions";
import { getExperiment, type Experiment } from "../experiments/store";
import { experimentDto } from "../experiments/dto";
import { getPrompt } from "../registry/prompts";
import { listVersionRows } from "../registry/versions";
import { getEnvironmentRow } from "../release/environments";

const orNull = (err: unknown): null => {
  if (isAppError(err) && err.code === "not_found") return null;
  throw err;
};

/** The experiment's name for the page's title; null when there is no such experiment. */
export async function experimentName(db: Db, projectId: string, id: string): Promise<string | null> {
  return (await getExperiment(db, projectId, id).catch(orNull))?.name ?? null;
}

/**
 * Whether this id is a guarded rollout's: it splits traffic as an experiment does, but is read and moved as a
 * rollout, on its own page (rollout-overview.ts).
 */
export async function isRolloutId(db: Db, projectId: string, id: string): Promise<boolean> {
  return (await getExperiment(db, projectId, id).catch(orNull))?.kind === "rollout";
}

/**
 * How often a running experiment's page re-reads itself: every 10 s, or less often when one read costs more than
 * a tenth of that (at 50,000 subjects a read takes seconds), so an open tab keeps no more than a tenth of a core
 * busy; in whole 10 s steps, and never less often than every 5 minutes.
 */
export function refreshEveryMs(readMs: number): number {
  const step = 10_000;
  return Math.min(300_000, Math.max(step, Math.ceil((readMs * 10) / step) * step));
}

export async function experimentOverview(
  db: Db,
  projectId: string,
  id: string,
  now: () => Date = () => new Date(),
  /** Where the results' sums are read (a replica: `DATABASE_READ_URL`); the experiment itself is read from `db`. */
  read: ReadSource = { db, replicaLagSeconds: null },
  /** Another phase than the current one (`?phase=`), when it exists. */
  asked?: number,
) {
  // The experiment from the primary: one just created or changed is there, whatever the replica has replayed.
  const found: Experiment | null = await getExperiment(db, projectId, id).catch(orNull);
  if (!found) return null;
  const phase = asked !== undefined && found.phases.some((p) => p.phase === asked) ? asked : undefined;
  const started = performance.now();
  const [results, environment, prompt] = await Promise.all([
    // Live, and stored on the way for the experiments list unless read from a lagging replica (decisions.ts).
    getExperimentResults(db, projectId, id, { phase }, now, read),
    getEnvironmentRow(db, projectId, found.environment),
    getPrompt(db, projectId, found.prompt),
  ]);
  const readMs = performance.now() - started;
  // The current phase is drawn up to the moment these results were read.
  const readAt = now().toISOString();
  const versions = await listVersionRows(db, prompt, { limit: 500 });
  const experiment = experimentDto(found);
  const messages: Record<number, string> = Object.fromEntries(
    versions
      .filter((v) => experiment.variants.some((x) => x.version === v.version.version))
      .map((v) => [v.version.version, v.version.commitMessage]),
  );
  const level = `${Number(((1 - experiment.alpha) * 100).toPrecision(3))}%`;
  const readPhases = results.experiment.phases;
  const next = experiment.phases.find((p) => p.phase === readPhases.at(-1)! + 1);
  const fixed = experiment.mode === "fixed";
  return {
    experiment,
    results,
    replicaLagSeconds: read.replicaLagSeconds,
    environment,
    messages,
    refreshEveryMs: refreshEveryMs(readMs),
    interval: {
      name: fixed ? `${level} confidence interval` : `${level} always-valid interval`,
      term: fixed ? ("confidenceInterval" as const) : ("alwaysValidInterval" as const),
    },
    lift: {
      series: experiment.variants.slice(1).map((v) => ({ key: v.key })),
      timeline: results.timeline.map((t) => ({ at: t.at, lift: t.lift, subjects: t.subjects })),
      bin: results.timelineBinMs,
      control: experiment.variants[0]!.key,
      // The span the chart covers (its points sit at their bins' fixed ends, inside it).
      from: experiment.phases.find((p) => p.phase === readPhases[0])?.startedAt ?? experiment.startedAt,
      until: next?.startedAt ?? experiment.stoppedAt ?? readAt,
    },
    phases: phaseMarks(experiment, readPhases),
    weights: {
      shown: experiment.mode === "bandit" || experiment.phases.length > 1,
      phases: results.weights.map((w) => ({
        phase: w.phase,
        at: w.at,
        weights: w.weights,
        pBest: w.pBest ?? null,
        reason: w.reason,
      })),
      until: experiment.stoppedAt ?? readAt,
    },
  };
}

/**
 * Where and why each phase began: a start, a change of weights, or a release of a partial the arms
 * include, with what each arm served in it; which phases the results shown read.
 */
function phaseMarks(e: ReturnType<typeof experimentDto>, read: number[]) {
  const versionOf = (key: string) => e.variants.find((v) => v.key === key)?.version;
  return {
    current: e.phase,
    read,
    list: e.phases.map((p) => ({
      phase: p.phase,
      startedAt: p.startedAt,
      why: p.phase === 1 ? "Started" : p.reason === "reweight" ? "Weights changed" : p.reason,
      release: p.deployment !== null,
      arms: Object.entries(p.compositions ?? {}).map(([key, partials]) => ({
        key,
        served: `${e.prompt} v${versionOf(key) ?? "?"}${
          partials
            ? ` with ${partials
                .split(",")
                .map((x) => x.replace("@", " v"))
                .join(", ")}`
            : ""
        }`,
      })),
    })),
  };
}
