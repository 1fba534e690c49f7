// The experiments list as pages show it (read model): each experiment with, for the running ones, the current
// weights and the call as last computed (decisions.ts) with its subjects, progress and when it was computed.
import { and, eq, inArray } from "drizzle-orm";
import { readTogether, type Db } from "../../../db/client";
import { experimentPhases, experiments } from "../../../db/schema";
import type { StoredComparison } from "../contracts";
import { storedDecisions } from "./decisions";
import { experimentHead, experimentTimes } from "../dto";
import { listExperiments } from "../store";

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
  /** From the stored call: running experiments only, null otherwise and until one is computed for this phase. */
  subjects: number | null;
  progress: { smallestArm: number; planned: number | null } | null;
  /** The stored call's winner, CUPED-adjusted where that applies, as the experiment's page computed it then. */
  winner: string | null;
  srmOk: boolean;
  /** The stored call's verdict in words, and each variant's deciding comparison on the primary metric. */
  verdict: string | null;
  comparisons: StoredComparison[];
  /** When the stored call was computed, and how long before `now`; null when there is none for this phase. */
  computedAt: string | null;
  ageSeconds: number | null;
  /** A stopped experiment's decision in words. */
  decision: string | null;
  createdAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
}

/**
 * The project's experiments, newest first, filtered by status and prompt. A running experiment carries its call
 * as last computed (every few minutes by the `experiment-decisions` job, and whenever its page is opened): the
 * same computation as the experiment's page, so the list can be older than the page but never reads the same
 * data differently. A page view costs a few indexed reads, whatever the experiments' size
 * (bench/results/2026-11-25-cuped-list.md priced computing it here: ~2.5 s per experiment at 50,000 subjects).
 */
export async function experimentSummaries(
  db: Db,
  projectId: string,
  filter: { status?: "draft" | "running" | "stopped"; prompt?: string } = {},
  now: () => Date = () => new Date(),
): Promise<ExperimentSummary[]> {
  const rows = await listExperiments(db, projectId, { status: filter.status, prompt: filter.prompt });
  const running = rows.filter((e) => e.status === "running").map((e) => e.id);
  const [calls, phases] = await readTogether(db, [
    () => storedDecisions(db, running),
    () =>
      running.length
        ? db
            .select({ experimentId: experimentPhases.experimentId, weights: experimentPhases.weights })
            .from(experimentPhases)
            .innerJoin(
              experiments,
              and(eq(experiments.id, experimentPhases.experimentId), eq(experiments.phase, experimentPhases.phase)),
            )
            .where(inArray(experimentPhases.experimentId, running))
        : [],
  ]);
  const weightsOf = new Map(phases.map((p) => [p.experimentId, p.weights]));
  const at = now().getTime();
  return rows.map((e) => {
    const c = calls.get(e.id);
    // The planned split before the first start; the current phase's weights after.
    const weights = weightsOf.get(e.id) ?? Object.fromEntries(e.variants.map((v) => [v.key, v.weight]));
    return {
      ...experimentHead(e),
      variants: e.variants.map((v) => ({ key: v.key, version: v.version, weight: weights[v.key] ?? 0 })),
      subjects: c ? c.subjects : null,
      progress: c ? { smallestArm: c.smallestArm, planned: c.plannedPerArm } : null,
      winner: c?.winner ?? null,
      srmOk: c ? c.srmOk : true,
      verdict: c?.verdict ?? null,
      comparisons: c?.comparisons ?? [],
      computedAt: c?.computedAt.toISOString() ?? null,
      ageSeconds: c ? Math.max(0, Math.round((at - c.computedAt.getTime()) / 1000)) : null,
      decision: e.decision ? ("ship" in e.decision ? `Shipped ${e.decision.ship}` : "Kept the control") : null,
      ...experimentTimes(e),
    };
  });
}
