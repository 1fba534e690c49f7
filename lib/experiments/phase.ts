// Steps every lifecycle change shares: opening a phase, and announcing the change after commit
// (action "experiment"), so every instance's cache and every SDK switch at once.
import type { DomainContext } from "../context";
import { randomBytes } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { experimentPhases, promptVersions } from "../../db/schema";
import { servedPartialsKey } from "../registry/live-versions";
import type { Experiment } from "./store";

export async function announce(ctx: DomainContext, e: Experiment, seq: number) {
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
  // A bundle's members share one seed per phase (bundles/bundle-group.ts): a subject lands in one arm of all of them.
  const salt = e.bundle ? e.bundle.group.slice(0, 8) : randomBytes(4).toString("hex");
  const seed = phase === 1 || e.kind === "rollout" ? e.seed : `${e.seed}:${phase}:${salt}`;
  const compositions = await armCompositions(tx, e);
  await tx.insert(experimentPhases).values({ experimentId: e.id, phase, seed, weights, reason, pBest, compositions });
  return phase;
}

/**
 * What each arm serves as the environment serves its partials now: {<variant key>: `name@version,…`}.
 * A release of one of those partials later opens a new phase (or stops the experiment), so this holds for the
 * whole phase.
 */
export async function armCompositions(tx: Db, e: Experiment): Promise<Record<string, string>> {
  const rows = await tx
    .select({ version: promptVersions.version, content: promptVersions.content })
    .from(promptVersions)
    .where(
      and(
        eq(promptVersions.promptId, e.promptId),
        inArray(
          promptVersions.version,
          e.variants.map((v) => v.version),
        ),
      ),
    );
  const out: Record<string, string> = {};
  for (const v of e.variants) {
    const row = rows.find((r) => r.version === v.version);
    if (!row) continue;
    const key = await servedPartialsKey(
      tx,
      e.projectId,
      { name: e.prompt, version: v.version, content: row.content },
      e.environment,
    );
    if (key !== null) out[v.key] = key;
  }
  return out;
}
