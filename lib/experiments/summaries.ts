// The experiments list as pages show it (read model): each experiment with, for the running ones, its
// subjects, progress, current weights and the current call, read from the aggregates (no raw events).
import type { Db } from "../../db/client";
import { experimentResults } from "./results";
import { currentWeights, listExperiments } from "./store";

export interface ExperimentSummary {
  id: string;
  name: string;
  hypothesis: string;
  prompt: string;
  environment: string;
  status: "draft" | "running" | "stopped";
  mode: "fixed" | "sequential" | "bandit";
  /** Each variant with its weight in the current phase. */
  variants: { key: string; version: number; weight: number }[];
  /** Running experiments only (null otherwise, or past the first `maxAnalysed`). */
  subjects: number | null;
  progress: { smallestArm: number; planned: number | null } | null;
  winner: string | null;
  srmOk: boolean;
  decision: string | null;
  createdAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
}

/**
 * The project's experiments, newest first, filtered by status and prompt. The running ones (at most
 * `maxAnalysed`, 20 by default) are analysed without CUPED, which needs the raw events: a list shows
 * progress and the call, the experiment's own page shows the adjusted results.
 */
export async function experimentSummaries(
  db: Db,
  projectId: string,
  filter: { status?: "draft" | "running" | "stopped"; prompt?: string; maxAnalysed?: number } = {},
): Promise<ExperimentSummary[]> {
  const rows = await listExperiments(db, projectId, { status: filter.status, prompt: filter.prompt });
  const running = rows.filter((e) => e.status === "running").slice(0, filter.maxAnalysed ?? 20);
  const results = new Map(
    await Promise.all(
      running.map(async (e) => [e.id, await experimentResults(db, projectId, e.id, { perSubject: false })] as const),
    ),
  );
  return rows.map((e) => {
    const r = results.get(e.id);
    // listExperiments leaves phases out: the weights of the current phase come with the results.
    const weights = r?.weights.find((w) => w.phase === e.phase)?.weights ?? currentWeights(e);
    return {
      id: e.id,
      name: e.name,
      hypothesis: e.hypothesis,
      prompt: e.prompt,
      environment: e.environment,
      status: e.status,
      mode: e.mode,
      variants: e.variants.map((v) => ({ key: v.key, version: v.version, weight: weights[v.key] ?? 0 })),
      subjects: r ? r.arms.reduce((n, a) => n + a.subjects, 0) : null,
      progress: r ? { smallestArm: r.progress.smallestArm, planned: r.plannedSamplePerArm } : null,
      winner: r?.winner ?? null,
      srmOk: r ? r.srm.ok : true,
      decision: e.decision ? ("ship" in e.decision ? `Shipped ${e.decision.ship}` : "Kept the control") : null,
      createdAt: e.createdAt.toISOString(),
      startedAt: e.startedAt?.toISOString() ?? null,
      stoppedAt: e.stoppedAt?.toISOString() ?? null,
    };
  });
}
