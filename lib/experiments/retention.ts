// Raw metric events are kept for a retention period (drill-down, re-aggregation, online evaluation's
// samples); the aggregates results are read from are kept for good.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";

export async function pruneRawEvents(db: Db, days: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with gone as (delete from metric_events where received_at < ${cutoff}::timestamptz returning 1) select count(*)::int as n from gone`,
  );
  return row?.n ?? 0;
}
