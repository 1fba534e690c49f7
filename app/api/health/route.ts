// GET /api/health: 200 when the database and Redis (when configured) answer, else 503. Anonymous
// callers get only the status; a valid API key or a signed-in session also gets what is used and why it fails.
import { NextResponse, type NextRequest } from "next/server";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/server/auth";
import { getDatabase } from "@/lib/server/db";
import { getSharedStore } from "@/lib/server/redis";
import { hasValidKey, otherMethods } from "@/lib/server/api";

export const dynamic = "force-dynamic";

async function check(fn: () => Promise<unknown>, ms = 2000): Promise<{ ok: boolean; ms: number; error?: string }> {
  const t = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms)))]);
    return { ok: true, ms: Math.round(performance.now() - t) };
  } catch (e) {
    return { ok: false, ms: Math.round(performance.now() - t), error: (e as Error).message.split("\n")[0] };
  } finally {
    clearTimeout(timer);
  }
}

async function known(req: NextRequest): Promise<boolean> {
  if (await hasValidKey(req)) return true;
  return Boolean(await getServerSession(authOptions()).catch(() => null));
}

export async function GET(req: NextRequest) {
  const database = await check(async () => (await getDatabase()).ping());
  const store = await getSharedStore();
  const redis = store.kind === "memory" ? { ok: true, ms: 0, configured: false } : { ...(await check(() => store.ping())), configured: true };
  const ok = database.ok && redis.ok;
  const headers = { "cache-control": "no-store" };
  const status = ok ? 200 : 503;
  if (!(await known(req).catch(() => false))) return NextResponse.json({ status: ok ? "ok" : "degraded" }, { status, headers });
  return NextResponse.json(
    { status: ok ? "ok" : "degraded", database: { ...database, kind: (await getDatabase().catch(() => null))?.kind }, redis: { ...redis, kind: store.kind } },
    { status, headers },
  );
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
