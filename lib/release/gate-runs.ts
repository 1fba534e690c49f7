// The evaluation runs a gate looks at: a prompt's runs on the gate's dataset, whether one counts (same
// items, the gate's scorers, partials rendered as the environment serves them), and the paired
// comparison of the version's run with the live version's.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { sameScorers } from "../scorers/gate";
import { pairRuns, type RunUnit } from "../scorers/paired";
import type { PairedGateFacts, RunFact } from "./plan";

export type RunRow = RunFact & {
  scorers: unknown;
  environment: string | null;
  fingerprint: string | null;
  version: number;
};

/** The runs of some versions of a prompt on a dataset, newest first, with their dataset version's fingerprint. */
export async function runsOn(db: Db, promptId: string, versions: number[], datasetId: string): Promise<RunRow[]> {
  if (!versions.length) return [];
  return queryRows<RunRow>(
    db,
    sql`select r.id, r.status, r.score, r.dataset_version as "datasetVersion", r.done, r.total, r.scorers,
               r.environment, r.version, dv.fingerprint
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
