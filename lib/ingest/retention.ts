// Raw metric events live in daily partitions of `metric_events`, by the UTC day they were received (migration
// 0029): retention drops whole days, never a month of rows one by one; the aggregates results are read from are
// kept for good. A day with no partition yet falls into `metric_events_default`, which retention empties by row
// (only such strays are ever there).
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";

const DAY_MS = 86_400_000;
const dayOf = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const partitionName = (d: Date) => `metric_events_${iso(d).replaceAll("-", "")}`;

/**
 * Makes the partitions of today and the next `ahead` days (UTC) if they are missing. A day whose events already
 * fell into the default partition keeps them there (PostgreSQL refuses a partition over rows of the default) and
 * is left for retention. Returns the partitions made.
 */
export async function ensureEventPartitions(db: Db, now = new Date(), ahead = 3): Promise<string[]> {
  const made: string[] = [];
  for (let i = 0; i <= ahead; i++) {
    const day = new Date(dayOf(now).getTime() + i * DAY_MS);
    const name = partitionName(day);
    const [exists] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from pg_class where relname = ${name} and relkind = 'r'`,
    );
    if (exists!.n) continue;
    const [strays] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from metric_events_default
          where received_day >= ${iso(day)}::date and received_day < ${iso(day)}::date + 1`,
    );
    if (strays!.n) continue;
    try {
      await db.execute(
        sql.raw(
          `create table if not exists "${name}" partition of metric_events for values from ('${iso(day)}') to ('${iso(new Date(day.getTime() + DAY_MS))}')`,
        ),
      );
      made.push(name);
    } catch (e) {
      // Another instance made it at the same moment ("if not exists" does not cover a concurrent create).
      const [now] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from pg_class where relname = ${name} and relkind = 'r'`,
      );
      if (!now!.n) throw e;
    }
  }
  return made;
}

/**
 * Drops the daily partitions of events received more than `days` days before `now` (whole UTC days: a day goes
 * once all of it is past the retention), and deletes such events from the default partition, and PromptLayer
 * request logs as old. Returns the number of events removed.
 */
export async function pruneRawEvents(db: Db, days: number, now = new Date()): Promise<number> {
  const cutoff = iso(new Date(dayOf(now).getTime() - days * DAY_MS));
  const partitions = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_inherits i
        join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
        where p.relname = 'metric_events' and c.relname ~ '^metric_events_[0-9]{8}$'`,
  );
  let removed = 0;
  for (const { name } of partitions) {
    const d = name.slice(-8);
    if (`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` >= cutoff) continue;
    const [n] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from "${name}"`));
    await db.execute(sql.raw(`drop table if exists "${name}"`));
    removed += n!.n;
  }
  const [strays] = await queryRows<{ n: number }>(
    db,
    sql`with gone as (delete from metric_events_default where received_day < ${cutoff}::date returning 1)
        select count(*)::int as n from gone`,
  );
  // PromptLayer's request logs (db/schema/promptlayer.ts) are these events' companions: they go with them.
  await db.execute(sql`delete from promptlayer_requests where created_at < ${cutoff}::date`);
  return removed + strays!.n;
}
