// Which caller a project's model call goes through. A reference names a connection by id or name;
// none (or "default") means the project's default connection, else the server's fallback (settings
// LLM_BASE_URL). Callers are cached per connection, so every call through one connection shares its
// concurrency limit; each resolve reads the connection's row and the project's prices, and a cached
// caller is rebuilt when either changed (on this instance or another). The limiter survives a rebuild
// while the connection's limit stays the same, so calls still in flight keep counting.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { modelConnections } from "../../db/schema";
import { AppError } from "../errors";
import { createModelCaller, type ModelCaller, type ModelCallerOptions } from "./model-caller";
import type { ConnectionInput } from "./connection";
import {
  assertProjectConnections,
  connectionFromRow,
  defaultConnectionScorers,
  getConnection,
  scorerConnections,
  type ConnectionRow,
} from "./connections";
import { projectPrices } from "./project-prices";
import { Semaphore } from "./semaphore";
import { createGuardedFetch } from "./guarded-fetch";
import { createImageFetcher, type ImageFetcherOptions } from "./image-fetch";
import { connectionLabel } from "./provider-labels";
import type { PrivatePolicy, Resolver } from "../net/ssrf";

export type ResolvedConnection = {
  caller: ModelCaller;
  /** "default" for the server's fallback connection. */
  id: string;
  name: string;
  provider: string;
  /** The model to use when a version's config names none. */
  defaultModel: string | null;
};

export interface CallerResolverOptions {
  encryptionKey: () => Uint8Array;
  /**
   * Which private addresses a project's connections may reach (LECTERN_CONNECTIONS_ALLOW_PRIVATE).
   * The server's own fallback connection is the operator's and may reach any address.
   */
  allowPrivate: PrivatePolicy;
  /** Largest answer body a call reads (LECTERN_MODEL_ANSWER_MAX_BYTES). */
  maxResponseBytes: number;
  /** For tests: how host names are resolved. */
  dnsResolver?: Resolver;
  /**
   * Image fetching (size cap, timeout, cache; tests: a trusted CA). Image URLs always follow allowPrivate,
   * the project connections' rule, even on the server's fallback connection: an image URL is chosen by
   * a prompt's author or an API caller, not by the operator who set LLM_BASE_URL.
   */
  images?: Omit<ImageFetcherOptions, "allowPrivate" | "resolver">;
  /** The server-wide connection (LLM_BASE_URL), used when a project has no default of its own. */
  fallback?: () => (Omit<ConnectionInput, "id" | "name"> & { defaultModel?: string }) | undefined;
  /** Clock, random source and retry tuning for every caller (tests). */
  callerOptions?: Omit<ModelCallerOptions, "prices">;
}

export interface CallerResolver {
  resolve(db: Db, projectId: string, ref?: string | null): Promise<ResolvedConnection>;
  /**
   * Every connection of a project resolved up front (at most 50), as a synchronous lookup by id, name
   * or default (for run executors). A missing default throws only when it is asked for.
   */
  resolveAll(db: Db, projectId: string): Promise<(ref?: string | null) => ModelCaller>;
  /** Drops a cached caller at once (the next resolve would notice the change anyway). */
  invalidate(connectionId: string): void;
  /** Callers cached right now (for tests and diagnostics). */
  readonly size: number;
}

export const isDefaultRef = (ref: string | null | undefined) =>
  ref === undefined || ref === null || ref === "" || ref === "default";

/** Callers by key, made again when their stamp changes; one limiter per limiter key, kept while its limit holds. */
function callerCache() {
  const cache = new Map<string, { stamp: string; caller: ModelCaller }>();
  const limiters = new Map<string, Semaphore>();
  return {
    build(key: string, limiterKey: string, stamp: string, make: () => ModelCaller): ModelCaller {
      const hit = cache.get(key);
      if (hit && hit.stamp === stamp) return hit.caller;
      const fresh = make();
      let limiter = limiters.get(limiterKey);
      if (!limiter || limiter.limit !== fresh.limiter.limit) limiters.set(limiterKey, (limiter = fresh.limiter));
      const caller: ModelCaller = { ...fresh, limiter };
      cache.set(key, { stamp, caller });
      return caller;
    },
    invalidate(key: string) {
      cache.delete(key);
    },
    get size() {
      return cache.size;
    },
  };
}

const noConnection = () =>
  new AppError(
    "unavailable",
    "No model connection: add one in Settings → Model connections (and make it the default), or set LLM_BASE_URL on the server.",
    { field: "connection" },
  );

/** Every connection of a project by id, by name and as "default"; the default's refusal kept for when it is asked. */
async function resolveEvery(
  resolver: CallerResolver,
  db: Db,
  projectId: string,
): Promise<(ref?: string | null) => ModelCaller> {
  const byRef = new Map<string, ModelCaller>();
  let defaultError: unknown;
  try {
    byRef.set("default", (await resolver.resolve(db, projectId)).caller);
  } catch (e) {
    defaultError = e;
  }
  const rows = await db
    .select({ id: modelConnections.id, name: modelConnections.name })
    .from(modelConnections)
    .where(eq(modelConnections.projectId, projectId));
  for (const r of rows) {
    const { caller } = await resolver.resolve(db, projectId, r.id);
    byRef.set(r.id, caller);
    byRef.set(r.name, caller);
  }
  return (ref) => {
    const key = isDefaultRef(ref) ? "default" : ref!;
    const caller = byRef.get(key);
    if (caller) return caller;
    if (key === "default") throw defaultError;
    throw new AppError("not_found", `No model connection ${key} in this project.`, { field: "connection" });
  };
}

export function createCallerResolver(opts: CallerResolverOptions): CallerResolver {
  const guard = (allowPrivate: PrivatePolicy) =>
    createGuardedFetch({ allowPrivate, maxResponseBytes: opts.maxResponseBytes, resolver: opts.dnsResolver });
  const projectFetch = guard(opts.allowPrivate);
  const serverFetch = guard(true);
  const images = createImageFetcher({ ...opts.images, allowPrivate: opts.allowPrivate, resolver: opts.dnsResolver });
  const callers = callerCache();
  type Prices = Awaited<ReturnType<typeof projectPrices>>;

  const fromRow = (row: ConnectionRow, prices: Prices): ResolvedConnection => {
    const stamp = `${row.updatedAt.toISOString()}|${JSON.stringify(prices)}`;
    const caller = callers.build(row.id, row.id, stamp, () =>
      createModelCaller(connectionFromRow(row, opts.encryptionKey()), {
        ...opts.callerOptions,
        prices,
        fetch: projectFetch,
        images,
      }),
    );
    return { caller, id: row.id, name: row.name, provider: row.provider, defaultModel: row.defaultModel };
  };

  /** The server's own connection (LLM_BASE_URL), for a project without a default of its own. */
  const fromServer = (projectId: string, prices: Prices): ResolvedConnection => {
    const fallback = opts.fallback?.();
    if (!fallback) throw noConnection();
    const { defaultModel, ...conn } = fallback;
    // One limiter for the server's connection across projects; prices differ per project.
    const stamp = `${JSON.stringify(conn)}|${JSON.stringify(prices)}`;
    const caller = callers.build(`default:${projectId}`, "default", stamp, () =>
      createModelCaller(
        { id: "default", name: "Default (LLM_BASE_URL)", ...conn },
        { ...opts.callerOptions, prices, fetch: serverFetch, images },
      ),
    );
    return {
      caller,
      id: "default",
      name: caller.connection.name,
      provider: caller.connection.provider,
      defaultModel: defaultModel ?? null,
    };
  };

  return {
    async resolve(db, projectId, ref) {
      const prices = await projectPrices(db, projectId);
      if (!isDefaultRef(ref)) return fromRow(await getConnection(db, projectId, ref!), prices);
      const [own] = await db
        .select()
        .from(modelConnections)
        .where(and(eq(modelConnections.projectId, projectId), eq(modelConnections.isDefault, true)));
      return own ? fromRow(own, prices) : fromServer(projectId, prices);
    },
    resolveAll(db, projectId) {
      return resolveEvery(this, db, projectId);
    },
    invalidate(connectionId) {
      callers.invalidate(connectionId);
    },
    get size() {
      return callers.size;
    },
  };
}

/** What starting work that calls models asks first: whether its calls have somewhere to go. */
export type ModelReachability = Pick<CallerResolver, "resolve">;

/**
 * Refuses, before anything is queued, work whose model calls could not be made: a reference to the
 * project's default connection when the project has none and the server has no LLM_BASE_URL. The person
 * who started it then reads why where they started it (422 naming the field), instead of "started" and a
 * run that fails later. Answers the first reference's connection as people read it (the version's, which
 * the run or optimization keeps to say which model answered).
 */
export async function reachableConnection(
  models: ModelReachability,
  db: Db,
  projectId: string,
  refs: readonly { field: string; ref: string | null | undefined }[],
): Promise<string | null> {
  let first: string | null = null;
  for (const [i, { field, ref }] of refs.entries()) {
    try {
      const c = await models.resolve(db, projectId, isDefaultRef(ref) ? undefined : ref);
      if (i === 0) first = connectionLabel(c);
    } catch (e) {
      if (e instanceof AppError && (e.code === "unavailable" || e.code === "not_found"))
        throw new AppError("unprocessable", e.message, { field });
      throw e;
    }
  }
  return first;
}

/**
 * The connections of work that calls a model and scores with `scorers` (an evaluation run, an
 * optimization): each must be the project's (refused naming its field), and, where `models` is given,
 * reachable (reachableConnection). Answers the connection as people read it, null without `models`.
 */
export async function checkScoringConnections(
  models: ModelReachability | null,
  db: Db,
  projectId: string,
  connection: string | null | undefined,
  scorers: readonly object[],
): Promise<string | null> {
  const own = { field: "connection", ref: connection };
  await assertProjectConnections(db, projectId, [own, ...scorerConnections(scorers)]);
  return models ? reachableConnection(models, db, projectId, [own, ...defaultConnectionScorers(scorers)]) : null;
}
