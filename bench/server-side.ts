// Server-side resolve time, in process: L1 hit, L2 hit and full miss, and registry-size flatness.
import type { Database } from "../db/client";
import { TwoLayerCache } from "../lib/runtime/cache";
import type { ResolvedPrompt } from "../lib/runtime/load";
import { loadResolved } from "../lib/runtime/load";
import { resolvePrompt } from "../lib/runtime/resolve";
import type { SharedStore } from "../lib/runtime/shared-store";
import { summarize, timeAsync } from "./stats";

export async function serverSide(database: Database, store: SharedStore, projectId: string, iterations: number) {
  const cache = new TwoLayerCache<ResolvedPrompt>("bench", store, {
    l1TtlMs: 60_000,
    l1Max: 10_000,
    l2TtlSeconds: 300,
  });
  const deps = { db: database.db, cache };
  const q = { name: "support-reply", environment: "production" };
  await resolvePrompt(deps, projectId, q);
  const l1 = await timeAsync(() => resolvePrompt(deps, projectId, q), iterations * 10, 1000);
  const l2 =
    store.kind === "memory"
      ? []
      : await timeAsync(async () => {
          cache.invalidateLocal(projectId); // L1 miss, L2 still valid (same epoch)
          return resolvePrompt(deps, projectId, q);
        }, iterations);
  const miss = await timeAsync(
    async () => {
      cache.invalidateLocal(projectId);
      await cache.invalidateShared(projectId); // new epoch: L2 miss too
      return resolvePrompt(deps, projectId, q);
    },
    iterations,
    50,
  );
  return { l1: summarize(l1), l2: l2.length ? summarize(l2) : null, miss: summarize(miss) };
}

/** Full-miss origin load (the database read) for prompts in a given project, picked at random. */
export async function originLoad(database: Database, projectId: string, names: string[], iterations: number) {
  let i = 0;
  const samples = await timeAsync(
    () => loadResolved(database.db, projectId, names[(i++ * 7919) % names.length]!, "production"),
    iterations,
    50,
  );
  return summarize(samples);
}
