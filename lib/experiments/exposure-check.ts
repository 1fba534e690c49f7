// Which variant a subject was assigned, for checking exposures reported through event ingest: the
// stored assignment of a bandit subject, else the hash of the phase's seed over its weights (the
// same function resolve and the SDK use). An exposure of another variant, or of a subject outside the
// coverage (who is served the control and never exposed), would skew SRM and progress.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { compileAssignment, namespaceOfRow, type AssignFn } from "./assign";
import type { EventProblem } from "./metric-events";

export type ClaimedExposure = { index: number; experimentId: string; phase: number; variant: string; subject: string };

export async function checkExposures(db: Db, claims: ClaimedExposure[]): Promise<EventProblem[]> {
  if (!claims.length) return [];
  const ids = [...new Set(claims.map((c) => c.experimentId))];
  const phases = await queryRows<{
    experiment_id: string;
    phase: number;
    seed: string;
    weights: Record<string, number>;
    coverage: number;
    namespace: string | null;
    namespace_start: number | null;
    namespace_end: number | null;
    keys: string[];
    mode: string;
  }>(
    db,
    sql`select p.experiment_id, p.phase, p.seed, p.weights, e.coverage, e.namespace, e.namespace_start, e.namespace_end, e.mode,
               array(select v.key from experiment_variants v where v.experiment_id = e.id order by v.position) as keys
        from experiment_phases p join experiments e on e.id = p.experiment_id
        where p.experiment_id in ${ids}`,
  );
  const assigners = new Map<string, AssignFn>();
  for (const p of phases)
    assigners.set(
      `${p.experiment_id}|${p.phase}`,
      compileAssignment({
        seed: p.seed,
        coverage: Number(p.coverage),
        namespace: namespaceOfRow(p),
        variants: p.keys.map((key) => ({ key, weight: Number(p.weights[key] ?? 0) })),
      }),
    );
  // Only a bandit stores its subjects' assignments (sticky.ts); the others' are the hash.
  const bandits = [...new Set(phases.filter((p) => p.mode === "bandit").map((p) => p.experiment_id))];
  const stored = new Map(
    bandits.length
      ? (
          await queryRows<{ experiment_id: string; subject: string; variant_key: string }>(
            db,
            sql`select experiment_id, subject, variant_key from experiment_assignments
                where experiment_id = any(${sql.param(bandits)}::uuid[])
                  and subject = any(${sql.param([...new Set(claims.map((c) => c.subject))])}::text[])`,
          )
        ).map((r) => [`${r.experiment_id}|${r.subject}`, r.variant_key])
      : [],
  );
  const problems: EventProblem[] = [];
  for (const c of claims) {
    const assigner = assigners.get(`${c.experimentId}|${c.phase}`);
    const assigned = stored.get(`${c.experimentId}|${c.subject}`) ?? assigner?.(c.subject)?.key ?? null;
    const where = `experiment ${c.experimentId} (phase ${c.phase})`;
    if (!assigner) problems.push({ index: c.index, field: "phase", message: `${where} has no such phase` });
    else if (assigned === null)
      problems.push({
        index: c.index,
        field: "variant",
        message: `subject ${c.subject} is not in experiment ${c.experimentId} (outside its coverage or namespace share: served the control, never exposed)`,
      });
    else if (assigned !== c.variant)
      problems.push({
        index: c.index,
        field: "variant",
        message: `subject ${c.subject} has assigned variant ${assigned} in ${where}, not ${c.variant}`,
      });
  }
  return problems;
}
