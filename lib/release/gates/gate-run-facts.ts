// The evaluation runs a gate looks at: a prompt's runs on the gate's dataset, whether one counts (same
// items, the gate's scorers, partials rendered as the environment serves them), and the paired
// comparison of the version's run with the live version's, and which of the gate's items a run failed on.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { sameScorers } from "../../scorers/gate";
import { pairRuns, type RunUnit } from "../../scorers/paired-runs";
import type { ScorerOutcome } from "../../scorers/types";
import type { CountingRunFact, PairedGateFacts, RunFact } from "../plan/plan";

export type RunRow = RunFact & {
  scorers: unknown;
  environment: string | null;
  fingerprint: string | null;
  version: number;
  /** Partials rendered at named versions (a partial's candidate), or null. */
  partialVersions: Record<string, number> | null;
};

/** Whether a run rendered exactly these partial overrides (null or {}: none). */
export function sameOverrides(run: Record<string, number> | null, want: Record<string, number> | null): boolean {
  const a = Object.entries(run ?? {});
  const b = want ?? {};
  return a.length === Object.keys(b).length && a.every(([k, v]) => Object.hasOwn(b, k) && b[k] === v);
}

/** The runs of some versions of a prompt on a dataset, newest first, with their dataset version's fingerprint. */
export async function runsOn(db: Db, promptId: string, versions: number[], datasetId: string): Promise<RunRow[]> {
  if (!versions.length) return [];
  return queryRows<RunRow>(
    db,
    sql`select r.id, r.status, r.score, r.dataset_version as "datasetVersion", r.done, r.total, r.scorers,
               r.environment, r.version, r.partial_versions as "partialVersions", dv.fingerprint
        from eval_runs r
        join dataset_versions dv on dv.dataset_id = r.dataset_id and dv.version = r.dataset_version
        where r.prompt_id = ${promptId} and r.dataset_id = ${datasetId}
          and r.version in ${versions}
        order by r.created_at desc
        limit 400`,
  );
}

/** Why a run does not count for a gate, or null when it does. */
export function runMismatch(
  run: Pick<RunRow, "fingerprint" | "scorers" | "environment" | "datasetVersion">,
  gate: { fingerprint: string | null; datasetVersion: number; scorers: unknown; environment: string },
  usesPartials: boolean,
): string | null {
  if (run.fingerprint === null || run.fingerprint !== gate.fingerprint)
    return `it ran on dataset version ${run.datasetVersion}, whose items differ from version ${gate.datasetVersion}`;
  if (!sameScorers(run.scorers, gate.scorers)) return "it used other scorers than the gate's";
  if (usesPartials && run.environment !== gate.environment)
    return `it rendered the prompt's partials as ${run.environment ?? "no environment"} serves them, not ${gate.environment}`;
  return null;
}

/** Each unit's scorer outcomes, per run. */
async function runUnits(db: Db, runIds: string[]): Promise<Map<string, RunUnit[]>> {
  const rows = await queryRows<{ runId: string; itemId: string; scores: RunUnit["results"] }>(
    db,
    sql`select run_id as "runId", item_id as "itemId", scores from eval_run_items where run_id in ${runIds}`,
  );
  const out = new Map<string, RunUnit[]>(runIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.runId)!.push({ itemId: r.itemId, results: r.scores });
  return out;
}

/** The version's counting run against the live version's, item by item on the gate's scorers. */
export async function pairedFacts(db: Db, scorers: unknown, run: RunRow, baseline: RunRow): Promise<PairedGateFacts> {
  const units = await runUnits(db, [baseline.id, run.id]);
  const names = ((scorers as { name?: string }[] | null) ?? []).flatMap((s) => (s.name ? [s.name] : []));
  const p = pairRuns(units.get(baseline.id)!, units.get(run.id)!, { scorers: names });
  return {
    alpha: p.alpha,
    items: p.items,
    scorers: p.scorers.map((s) => ({
      name: s.name,
      n: s.n,
      meanDiff: s.meanDiff,
      ci: s.ci,
      adjustedPValue: s.adjustedPValue,
      direction: s.direction,
    })),
  };
}

export const runFact = (r: RunRow): RunFact => ({
  id: r.id,
  status: r.status,
  score: r.score === null ? null : Number(r.score),
  datasetVersion: r.datasetVersion,
  done: r.done,
  total: r.total,
});

/** How many items the gate's dataset has at a version (what every run on it covers). */
export async function gateItemCount(db: Db, datasetId: string, version: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from dataset_items
        where dataset_id = ${datasetId} and from_version <= ${version} and (to_version is null or to_version > ${version})`,
  );
  return row?.n ?? 0;
}

// A unit failed when it could not run (its error) or a scorer could not judge its answer (that outcome's error).
const unitFailed = sql`(error is not null or jsonb_path_exists(scores, '$[*].error'))`;

/**
 * A completed run with the gate items it has no clean result for: `items` (the gate's) minus the items
 * whose every repetition ran and was judged by every scorer; and the first failure by position, in words.
 */
export async function countingRunFact(db: Db, r: RunRow, items: number): Promise<CountingRunFact> {
  const [row] = await queryRows<{ clean: number }>(
    db,
    sql`select count(*)::int as clean from (
          select item_id from eval_run_items where run_id = ${r.id} group by item_id having not bool_or(${unitFailed})
        ) c`,
  );
  const failedItems = Math.max(0, items - (row?.clean ?? 0));
  if (!failedItems) return { ...runFact(r), failedItems, firstFailure: null };
  const [first] = await queryRows<{ error: string | null; scores: ScorerOutcome[] }>(
    db,
    sql`select error, scores from eval_run_items where run_id = ${r.id} and ${unitFailed}
        order by position, repetition limit 1`,
  );
  const scorer = first?.scores.find((o) => o.error !== undefined);
  const firstFailure = first
    ? (first.error ?? `${scorer!.name} could not judge the answer: ${scorer!.error}`)
    : "an item has no result in the run";
  return { ...runFact(r), failedItems, firstFailure: firstFailure.slice(0, 300) };
}
