// Steps every lifecycle change shares: opening a phase, and announcing the change after commit
// (action "experiment"), so every instance's cache and every SDK switch at once.
import { randomBytes } from "node:crypto";
import type { Db } from "../../db/client";
import { experimentPhases } from "../../db/schema";
import type { ReleaseContext } from "../release/deployments";
import type { Experiment } from "./store";

export async function announce(ctx: ReleaseContext, e: Experiment, seq: number) {
  const control = e.variants[0]!;
  await ctx.events.publish({
    projectId: ctx.projectId,
    prompt: e.prompt,
    environment: e.environment,
    version: control.version,
    action: "experiment",
    seq,
  });
}

/**
 * Opens a new phase (phase 1 at the start): a seed — the experiment's own for phase 1, and for every step of a
 * rollout, so that a subject on the new version stays on it as its share grows — and weights.
 */
export async function openPhase(
  tx: Db,
  e: Experiment,
  weights: Record<string, number>,
  reason: string,
  pBest: number[] | null = null,
) {
  const phase = e.phase + 1;
  // A bundle's members share one seed per phase (bundle-group.ts): a subject lands in one arm of all of them.
  const salt = e.bundle ? e.bundle.group.slice(0, 8) : randomBytes(4).toString("hex");
  const seed = phase === 1 || e.kind === "rollout" ? e.seed : `${e.seed}:${phase}:${salt}`;
  await tx.insert(experimentPhases).values({ experimentId: e.id, phase, seed, weights, reason, pBest });
  return phase;
}
