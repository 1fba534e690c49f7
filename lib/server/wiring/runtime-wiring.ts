import "server-only";
import { TwoLayerCache } from "@/lib/runtime/cache";
import { busChannel, InvalidationBus } from "@/lib/runtime/bus";
import { installationId } from "@/lib/setup/installation";
import type { ResolvedPrompt } from "@/lib/runtime/load";
import type { KeyPrincipal } from "@/lib/auth/api-keys";
import { ExposureRecorder } from "@/lib/experiments/exposures";
import { StickyAssignments } from "@/lib/experiments/sticky";
import type { Db } from "@/db/client";
import { getDb, readyDb } from "./db";
import { env } from "./env";
import { processStart } from "./singleton";
import { log } from "./log";
import { getSharedStore } from "./redis";
import { onShutdown } from "./process/shutdown";

// One runtime per process (globalThis, like the database): the prompt cache, the API-key cache and
// the invalidation bus that keeps them right across instances.
export type Runtime = {
  prompts: TwoLayerCache<ResolvedPrompt>;
  keys: TwoLayerCache<KeyPrincipal>;
  bus: InvalidationBus;
  /** Bandits' stored assignments (read through a per-process cache). */
  sticky: StickyAssignments;
  /** Exposures of HTTP resolves, written in bulk off the request path; flushed on shutdown. */
  exposures: ExposureRecorder;
};

async function start(): Promise<Runtime> {
  const config = env();
  const store = await getSharedStore();
  const onStoreError = (e: unknown) =>
    log.warn(`shared cache unavailable, using memory and the database: ${(e as Error).message}`);
  const opts = {
    l1TtlMs: config.CACHE_L1_TTL_SECONDS * 1000,
    l1Max: config.CACHE_L1_MAX_ENTRIES,
    l2TtlSeconds: config.CACHE_L2_TTL_SECONDS,
    onStoreError,
  };
  // Everything kept in Redis is this installation's alone: another database on the same Redis has its own keys.
  const installation = await installationId(await getDb());
  const prompts = new TwoLayerCache<ResolvedPrompt>(`${installation}:prompt`, store, opts);
  // While the store is down no revocation can reach this instance, so key lookups are kept briefly.
  const keys = new TwoLayerCache<KeyPrincipal>(`${installation}:apikey`, store, { ...opts, degradedL1TtlMs: 5_000 });
  const bus = new InvalidationBus(
    store,
    { prompts, keys },
    (what, e) => log.warn(`${what} failed: ${(e as Error).message}`),
    busChannel(installation),
  );
  const db = (): Db => readyDb()!;
  const sticky = new StickyAssignments(db);
  const exposures = new ExposureRecorder(db, {
    onError: (e) => log.warn(`recording exposures failed (kept, retrying): ${(e as Error).message}`),
  });
  onShutdown(() => exposures.flush());
  try {
    await bus.start();
  } catch (e) {
    log.warn(`invalidation bus not subscribed yet (will retry on reconnect): ${(e as Error).message}`);
  }
  const health = store as { onReconnect?: (h: () => void) => void; onDown?: (h: () => void) => void };
  health.onDown?.(() => {
    keys.invalidateAllLocal();
    keys.markStoreDown();
    prompts.markStoreDown();
  });
  // Invalidations may have been lost while the store was away: retire what was cached before.
  health.onReconnect?.(() => {
    void bus.recover();
    void bus.start().catch(() => {});
  });
  return { prompts, keys, bus, sticky, exposures };
}

let ready: Runtime | undefined;

/** The runtime once started, without an await (the hot path of every API request). */
export const readyRuntime = (): Runtime | undefined => ready;

export function getRuntime(): Promise<Runtime> {
  const started = processStart("runtime", start);
  // Each bundle (Next's route handlers, Lectern's own server) has its own copy of `ready`.
  if (!ready)
    started.then(
      (r) => void (ready = r),
      () => {},
    );
  return started;
}
