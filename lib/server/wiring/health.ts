import "server-only";
import type { RuntimeAnswer } from "@/lib/runtime/answer";
import { getDatabase } from "./db";
import { getSharedStore } from "./redis";

// GET /api/health without a framework: the Next route (app/api/health/route.ts) and a runtime-only
// instance of Lectern's own server (LECTERN_ROLE=runtime, which does not load Next) both answer with it.

type Check = { ok: boolean; ms: number; error?: string };

async function check(fn: () => Promise<unknown>, ms = 2000): Promise<Check> {
  const t = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms))),
    ]);
    return { ok: true, ms: Math.round(performance.now() - t) };
  } catch (e) {
    return { ok: false, ms: Math.round(performance.now() - t), error: (e as Error).message.split("\n")[0] };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * 200 when the database and Redis (when configured) answer, else 503. `known(ok)` says whether the
 * caller may see what is used and why it fails (a valid API key or a signed-in session); anonymous
 * callers get only the status.
 */
export async function healthAnswer(known: () => Promise<boolean>): Promise<RuntimeAnswer> {
  const database = await check(async () => (await getDatabase()).ping());
  const store = await getSharedStore();
  const redis =
    store.kind === "memory"
      ? { ok: true, ms: 0, configured: false }
      : { ...(await check(() => store.ping())), configured: true };
  const ok = database.ok && redis.ok;
  const headers = { "content-type": "application/json", "cache-control": "no-store" };
  const status = ok ? 200 : 503;
  if (!(await known().catch(() => false)))
    return { status, headers, body: JSON.stringify({ status: ok ? "ok" : "degraded" }) };
  const body = {
    status: ok ? "ok" : "degraded",
    database: { ...database, kind: (await getDatabase().catch(() => null))?.kind },
    redis: { ...redis, kind: store.kind },
  };
  return { status, headers, body: JSON.stringify(body) };
}
