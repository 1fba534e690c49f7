// The bundle page's guarded rollouts (docs/decisions/bundles.md), per environment: the one under way with what each
// member's guardrails read at this step, the ended ones, and what the start form offers there (the
// environment's own steps, else the default, and whether every release there must be a rollout). Here, not
// in lib/release/bundles/bundle-reads.ts: lib/release must never import lib/experiments.
import type { Db } from "../../db/client";
import { listBundleRollouts, type BundleRolloutDto } from "../experiments/rollouts/bundle-rollouts";
import { DEFAULT_ROLLOUT_STEPS } from "../experiments/rollouts/rollout-decide";
import { getRollout } from "../experiments/rollouts/rollout-reads";
import { listEnvironmentRows } from "../release/environments";

const isActive = (r: BundleRolloutDto) => r.status === "running" || r.status === "paused";

/** A running or paused bundle rollout: the group's state, and each member's rollout with its readings. */
export type ActiveBundleRollout = BundleRolloutDto & {
  stepStartedAt: string;
  margin: number | null;
  readings: Awaited<ReturnType<typeof getRollout>>[];
};

export type BundleRolloutsIn = {
  environment: string;
  /** Every release there is a guarded rollout (the environment's guardedRollout rule). */
  required: boolean;
  /** The steps a rollout there starts from: the rule's own, else the rollouts' default. */
  steps: { percent: number; minMinutes: number; minSubjects: number }[];
  active: ActiveBundleRollout | null;
  ended: BundleRolloutDto[];
};

export async function bundleRolloutsOverview(db: Db, projectId: string, name: string): Promise<BundleRolloutsIn[]> {
  const [envs, all] = await Promise.all([listEnvironmentRows(db, projectId), listBundleRollouts(db, projectId, name)]);
  const out: BundleRolloutsIn[] = [];
  for (const env of envs) {
    const here = all.filter((r) => r.environment === env.name);
    const running = here.find(isActive);
    let active: ActiveBundleRollout | null = null;
    if (running) {
      const readings = await Promise.all(running.members.map((m) => getRollout(db, projectId, m.rollout)));
      const lead = readings[0]!;
      active = { ...running, stepStartedAt: lead.stepStartedAt, margin: lead.margin, readings };
    }
    out.push({
      environment: env.name,
      required: env.guardedRollout !== null,
      steps: (env.guardedRollout?.steps ?? DEFAULT_ROLLOUT_STEPS).map((s) => ({ ...s })),
      active,
      ended: here.filter((r) => !isActive(r)),
    });
  }
  return out;
}
