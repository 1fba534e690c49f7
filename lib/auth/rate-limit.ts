// Fixed-window counters in the database, so every instance shares them.
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { rateLimits } from "../../db/schema";

export interface Window {
  limit: number;
  seconds: number;
}

/** Counts of the given keys within the current window (0 for a key whose window has passed). */
export async function currentCounts(db: Db, keys: string[], w: Window, now: Date): Promise<number> {
  const rows = await db.select().from(rateLimits).where(inArray(rateLimits.key, keys));
  const cutoff = now.getTime() - w.seconds * 1000;
  return Math.max(0, ...rows.filter((r) => r.windowStart.getTime() > cutoff).map((r) => r.count));
}

export async function increment(db: Db, keys: string[], w: Window, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - w.seconds * 1000);
  for (const key of keys) {
    await db
      .insert(rateLimits)
      .values({ key, windowStart: now, count: 1 })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${rateLimits.windowStart} <= ${cutoff.toISOString()}::timestamptz then 1 else ${rateLimits.count} + 1 end`,
          windowStart: sql`case when ${rateLimits.windowStart} <= ${cutoff.toISOString()}::timestamptz then ${now.toISOString()}::timestamptz else ${rateLimits.windowStart} end`,
        },
      });
  }
}

export async function reset(db: Db, keys: string[]): Promise<void> {
  await db.delete(rateLimits).where(inArray(rateLimits.key, keys));
}
