// The bandit cadence (cron `bandits`, or the in-process scheduler): for every running bandit, after
// burn-in, new weights from the primary metric (Thompson P(best) or UCB1, with the floor) open a new
// phase — subjects keep their stored assignment — and a winner is named at P(best) ≥ 0.95.
import { projectContext } from "../context";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { experimentArmStats, experiments } from "../../db/schema";
import type { Actor } from "../auth/permissions";
import type { EventSink } from "../announcements";
import { banditReweight } from "../stats/bandits";
import { primaryGoal } from "./definition";
import { setExperimentWeights } from "./lifecycle";
import { currentWeights, getExperiment } from "./store";
import type { SufficientStats } from "../stats/summary";
import type { BanditConfig } from "./contracts";

const system: Actor = { type: "system", label: "bandit" };

export type BanditRun = {
  experimentId: string;
  name: string;
  action: "reweighted" | "burn-in" | "unchanged" | "error";
  weights?: Record<string, number>;
  winner?: string | null;
  reason: string;
};

export async function reweightBandits(db: Db, events: EventSink): Promise<BanditRun[]> {
  const running = await db
    .select({ id: experiments.id, projectId: experiments.projectId })
    .from(experiments)
    .where(and(eq(experiments.status, "running"), eq(experiments.mode, "bandit")));
  const out: BanditRun[] = [];
  for (const r of running) {
    const e = await getExperiment(db, r.projectId, r.id);
    try {
      const primary = e.primaryMetric;
      const bandit: Partial<BanditConfig> = e.bandit ?? {};
      const rows = await db
        .select()
        .from(experimentArmStats)
        .where(
          and(
            eq(experimentArmStats.experimentId, e.id),
            eq(experimentArmStats.metric, primary.name),
            inArray(
              experimentArmStats.phase,
              e.phases.map((p) => p.phase),
            ),
          ),
        );
      const arms: SufficientStats[] = e.variants.map((v) =>
        rows
          .filter((x) => x.variantKey === v.key)
          .reduce((s, x) => ({ n: s.n + Number(x.n), sum: s.sum + x.sum, sumSq: s.sumSq + x.sumSq }), {
            n: 0,
            sum: 0,
            sumSq: 0,
          }),
      );
      const now = currentWeights(e);
      const result = banditReweight(arms, {
        algorithm: bandit.algorithm ?? "thompson",
        kind: primary.kind,
        goal: primaryGoal(primary),
        currentWeights: e.variants.map((v) => now[v.key] ?? 0),
        floor: bandit.floor,
        burnIn: bandit.burnIn,
        seed: `${e.id}:${e.phase}`,
      });
      const weights = Object.fromEntries(e.variants.map((v, i) => [v.key, Number(result.weights[i]!.toFixed(6))]));
      const winner = result.winner === null ? null : e.variants[result.winner]!.key;
      const changed = e.variants.some((v) => Math.abs((weights[v.key] ?? 0) - (now[v.key] ?? 0)) > 0.005);
      if (!changed) {
        out.push({
          experimentId: e.id,
          name: e.name,
          action: result.reason.startsWith("burn-in") ? "burn-in" : "unchanged",
          winner,
          reason: result.reason,
        });
        continue;
      }
      // Normalise the rounding so the weights sum to 1 exactly (the control absorbs it).
      const total = Object.values(weights).reduce((s, w) => s + w, 0);
      weights[e.variants[0]!.key] = Number((weights[e.variants[0]!.key]! + 1 - total).toFixed(6));
      await setExperimentWeights(
        projectContext(db, system, r.projectId, events),
        e.id,
        { weights, reason: result.reason },
        result.pBest,
      );
      out.push({ experimentId: e.id, name: e.name, action: "reweighted", weights, winner, reason: result.reason });
    } catch (err) {
      out.push({
        experimentId: e.id,
        name: e.name,
        action: "error",
        reason: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return out;
}
