// The experiments list as pages show it (read model): each experiment with, for the running ones, its
// subjects, progress, current weights and the current call (the same call as the experiment's page).
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
  /** The results' winner, CUPED-adjusted where that applies, as the experiment's page shows it. */
  winner: string | null;
  srmOk: boolean;
  decision: string | null;
  createdAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
}

/**
 * The project's experiments, newest first, filtered by status and prompt. The running ones (at most
 * `maxAnalysed`, 20 by default) are analysed as their page decides: with CUPED on the primary metric, which
 * the winner reads whenever it applies, so the list's "winner" never contradicts the page or the API. The
 * guardrails' adjustment and the ratio metrics decide nothing and are left to the page.
 *
 * Cost: the adjustment reads each subject's row and pre-exposure events, O(subjects), where the rest reads
 * hourly aggregates. Measured with bench/experiments.ts (resultsAtScale) on this 2-core machine under load
 * (load average ≈ 10): 10,000 subjects on PGlite, 1.7 s per experiment with it, ~0.4 s without; 50,000 on
 * PostgreSQL 15, 2.5 s with it, ~0.6 s without (bench/results/2026-11-25-cuped-list.md). A list without it
 * would be cheaper but could name a winner the page does not, or miss the one it names; a slow list is the
 * lesser harm, and the cap on analysed experiments bounds it.
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
      running.map(
        async (e) => [e.id, await experimentResults(db, projectId, e.id, { perSubject: "decision" })] as const,
      ),
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
