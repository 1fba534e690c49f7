import "server-only";
import { LRUCache } from "lru-cache";
import { findKey, hashKey, touchKey, type KeyPrincipal } from "@/lib/auth/api-keys";
import type { Actor, ApiKeyScope } from "@/lib/auth/permissions";
import { findProjectByPublicId } from "@/lib/auth/projects";
import { AppError } from "@/lib/errors";
import type { Db } from "@/db/client";
import { getRuntime, readyRuntime } from "../wiring/runtime-wiring";

// API-key authentication without a framework: the /api/v1 wrapper (api.ts) and Lectern's own server
// (gateway/main.ts, through runtime-http.ts) both call it, so both authenticate the same way.

export type HeaderGetter = (name: string) => string | null | undefined;

function credentials(header: string | null | undefined): { key: string; publicId?: string } {
  if (!header) throw new AppError("unauthorized", "Missing API key: send the header Authorization: Bearer <key>.");
  const [kind, value] = header.split(/\s+/, 2);
  if (kind?.toLowerCase() === "bearer" && value) return { key: value };
  if (kind?.toLowerCase() === "basic" && value) {
    // Langfuse-compatible: username is the project's public id, password is a Lectern key.
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i > 0) return { publicId: decoded.slice(0, i), key: decoded.slice(i + 1) };
  }
  throw new AppError("unauthorized", "Malformed Authorization header: expected Bearer <key>.");
}

// Key lookups go through the two-layer cache; revocation invalidates it on every instance.
// Each await on this path costs more than the work itself (Next tracks async context per promise),
// so cache hits are answered synchronously.
function peekKey(key: string) {
  return readyRuntime()?.keys.peek("all", hashKey(key));
}

async function lookupKey(db: Db, key: string) {
  const runtime = await getRuntime();
  const hash = hashKey(key);
  const hit = runtime.keys.peek("all", hash);
  if (hit) return hit;
  try {
    return (
      await runtime.keys.get("all", hash, async () => {
        const found = await findKey(db, key);
        if (!found) throw new AppError("unauthorized", "Invalid API key.");
        return found;
      })
    ).value;
  } catch (e) {
    if (e instanceof AppError && e.code === "unauthorized") return undefined;
    throw e;
  }
}

// last_used_at is written at most once a minute per key and instance, never on the request's path.
const lastTouched = new Map<string, number>();
function touch(db: Db, keyId: string) {
  const now = Date.now();
  if (now - (lastTouched.get(keyId) ?? 0) < 60_000) return;
  lastTouched.set(keyId, now);
  void touchKey(db, keyId).catch(() => {});
}

export type Authenticated = { actor: Actor; principal: KeyPrincipal };

function accept(db: Db, principal: KeyPrincipal | undefined, scope: ApiKeyScope): Authenticated {
  if (!principal) throw new AppError("unauthorized", "Invalid API key.");
  if (principal.revoked) throw new AppError("unauthorized", "This API key has been revoked.");
  // A skills key is a URL's secret (docs/skills.md): sent as a header, it opens nothing.
  if (principal.scope === "skills")
    throw new AppError(
      "forbidden",
      "A skills key opens only its own skills URL (<skillsUrl>/.well-known/agent-skills/index.json); use a runtime or admin key here.",
      { scope: "skills" },
    );
  if (scope === "admin" && principal.scope !== "admin")
    throw new AppError("forbidden", "This endpoint needs an admin API key; a runtime key was sent.", {
      required: "admin",
      scope: principal.scope,
    });
  touch(db, principal.keyId);
  let actor = actors.get(principal);
  if (!actor)
    actors.set(
      principal,
      (actor = Object.freeze({
        type: "api_key",
        id: principal.keyId,
        label: `api-key:${principal.name}`,
        scope: principal.scope,
      })),
    );
  return { actor, principal };
}

// Splitting the header and hashing the key (SHA-256) cost more than the rest of an L1 hit together.
// Both are pure functions of the header: the hash of a Bearer header that named a known key is
// remembered (bounded; invalid keys are not kept). Revocation still applies: the hash only finds
// the key's cache entry, which a revocation drops on every instance.
const bearerHashes = new LRUCache<string, string>({ max: 10_000 });

// One actor per key principal (a new principal, e.g. after a change to the key, gets a new one).
const actors = new WeakMap<KeyPrincipal, Actor>();

/**
 * The synchronous path: a Bearer key found in L1 is authenticated without an await. Undefined when
 * the answer needs I/O (a miss, a Basic header naming a project); throws for a bad header or key.
 */
export function authenticateCached(
  db: Db,
  header: string | null | undefined,
  scope: ApiKeyScope,
): Authenticated | undefined {
  const keys = readyRuntime()?.keys;
  if (!keys) return undefined;
  let hash = header ? bearerHashes.get(header) : undefined;
  if (hash === undefined) {
    const { key, publicId } = credentials(header);
    if (publicId) return undefined;
    hash = hashKey(key);
    if (keys.peek("all", hash)) bearerHashes.set(header!, hash);
  }
  const principal = keys.peek("all", hash);
  return principal ? accept(db, principal, scope) : undefined;
}

/** Whether an Authorization header carries a valid, unrevoked API key (for answers that say more to known callers). */
export async function hasValidKeyHeader(
  db: () => Db | Promise<Db>,
  header: string | null | undefined,
): Promise<boolean> {
  if (!header) return false;
  try {
    await authenticate(await db(), header, "runtime");
    return true;
  } catch {
    return false;
  }
}

export async function authenticate(
  db: Db,
  header: string | null | undefined,
  scope: ApiKeyScope,
): Promise<Authenticated> {
  const { key, publicId } = credentials(header);
  const principal = peekKey(key) ?? (await lookupKey(db, key));
  if (principal && !principal.revoked && publicId) {
    const project = await findProjectByPublicId(db, publicId);
    if (!project || project.id !== principal.projectId)
      throw new AppError("unauthorized", "The public id does not belong to this key's project.");
  }
  return accept(db, principal, scope);
}

/**
 * A skills URL's token (docs/skills.md): the skills key itself, looked up by its hash like any key. Anything but
 * a live skills key — another scope's key, a revoked or unknown one — opens nothing here (401).
 */
export async function authenticateSkillsToken(db: Db, token: string): Promise<KeyPrincipal> {
  const principal = token.length <= 200 ? (peekKey(token) ?? (await lookupKey(db, token))) : undefined;
  if (!principal || principal.scope !== "skills" || principal.revoked)
    throw new AppError("unauthorized", "This skills URL is not valid: its key was revoked, or never existed.");
  touch(db, principal.keyId);
  return principal;
}
