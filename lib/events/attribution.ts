// Attribution of metric events to experiment arms: the experiments a batch may count for (named by its
// events, or running on their prompts) and, per event, the arm it counts for or why it cannot.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { EventProblem, MetricEvent } from "../experiments/events";

/** The environment of an event that names none. */
export const defaultEnvironment = "production";

export type Attribution = { experimentId: string; phase: number; variant: string };
type ExperimentInfo = {
  id: string;
  promptId: string;
  environment: string;
  status: string;
  phase: number;
  /** null while a draft. */
  startedAt: Date | null;
  variants: { key: string; version: number }[];
};

export async function experimentsFor(
  db: Db,
  projectId: string,
  ids: string[],
  promptIds: string[],
): Promise<ExperimentInfo[]> {
  if (!ids.length && !promptIds.length) return [];
  const rows = await db.execute(sql`
    select e.id, e.prompt_id, en.name as environment, e.status, e.phase, e.started_at, v.key, v.version
    from experiments e join environments en on en.id = e.environment_id join experiment_variants v on v.experiment_id = e.id
    where e.project_id = ${projectId}
      and (${ids.length ? sql`e.id in ${ids}` : sql`false`} or (${promptIds.length ? sql`e.prompt_id in ${promptIds}` : sql`false`} and e.status = 'running'))
    order by v.position`);
  const byId = new Map<string, ExperimentInfo>();
  for (const r of (rows as unknown as { rows: Record<string, unknown>[] }).rows) {
    const id = String(r.id);
    const e = byId.get(id) ?? {
      id,
      promptId: String(r.prompt_id),
      environment: String(r.environment),
      status: String(r.status),
      phase: Number(r.phase),
      startedAt: r.started_at ? new Date(r.started_at as string) : null,
      variants: [],
    };
    e.variants.push({ key: String(r.key), version: Number(r.version) });
    byId.set(id, e);
  }
  return [...byId.values()];
}

/**
 * Which experiment arm an event counts for: the one it names, or the running one whose variant serves its
 * version in the event's environment, if the event is dated at or after that experiment's start. An event
 * from before the start happened outside the experiment (the subject was not yet assigned, whatever
 * version it saw): it stays the subject's history, which CUPED reads as its covariate.
 */
export function attribute(
  e: MetricEvent,
  promptId: string,
  at: Date,
  exps: ExperimentInfo[],
): Attribution | EventProblem["field"][] | null {
  if (e.experimentId) {
    const x = exps.find((c) => c.id === e.experimentId);
    if (!x) return ["experimentId", `no experiment ${e.experimentId} in this project`];
    if (x.promptId !== promptId) return ["experimentId", `experiment ${e.experimentId} is not on prompt ${e.prompt}`];
    const v = e.variant ? x.variants.find((c) => c.key === e.variant) : x.variants.find((c) => c.version === e.version);
    if (!v)
      return e.variant
        ? ["variant", `experiment ${x.id} has no variant ${e.variant}`]
        : ["version", `version ${e.version} is not a variant of experiment ${x.id}`];
    if (e.phase !== undefined && e.phase > x.phase) return ["phase", `experiment ${x.id} is in phase ${x.phase}`];
    return { experimentId: x.id, phase: e.phase ?? x.phase, variant: v.key };
  }
  const environment = e.environment ?? defaultEnvironment;
  const x = exps.find((c) => c.status === "running" && c.promptId === promptId && c.environment === environment);
  if (!x?.startedAt || at < x.startedAt) return null;
  const v = x.variants.find((c) => c.version === e.version);
  return v ? { experimentId: x.id, phase: x.phase, variant: v.key } : null;
}
