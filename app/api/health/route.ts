// GET /api/health: database and Redis reachability (200 when all configured parts answer, else 503).
import { NextResponse } from "next/server";
import { getDatabase } from "@/lib/server/db";
import { getSharedStore } from "@/lib/server/redis";

export const dynamic = "force-dynamic";

async function check(fn: () => Promise<unknown>, ms = 2000): Promise<{ ok: boolean; ms: number; error?: string }> {
  const t = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms))]);
    return { ok: true, ms: Math.round(performance.now() - t) };
  } catch (e) {
    return { ok: false, ms: Math.round(performance.now() - t), error: (e as Error).message.split("\n")[0] };
  }
}

export async function GET() {
  const database = await check(async () => (await getDatabase()).ping());
  const store = await getSharedStore();
  const redis = store.kind === "memory" ? { ok: true, ms: 0, configured: false } : { ...(await check(() => store.ping())), configured: true };
  const ok = database.ok && redis.ok;
  return NextResponse.json(
    { status: ok ? "ok" : "degraded", database: { ...database, kind: (await getDatabase().catch(() => null))?.kind }, redis: { ...redis, kind: store.kind } },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
