// Raw events in daily partitions (migration 0029): retention drops whole days across a month's end, strays in the
// default partition are deleted, and a resend within two days of the first is still counted once.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { promptWith, seedProject, type Fixture } from "../../test/domain-fixtures";
import { ingestEvents } from "./ingest";
import { ensureEventPartitions, pruneRawEvents } from "./retention";

let t: TestDatabase;
let f: Fixture;
beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "retention");
  await promptWith(t.db, f, "kept", 1);
});
afterAll(() => t.drop());

const partitions = async () =>
  (
    await queryRows<{ name: string }>(
      t.db,
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          join pg_class p on p.oid = i.inhparent where p.relname = 'metric_events' order by 1`,
    )
  ).map((r) => r.name);

/** A raw event as if received at `receivedAt` (ingest stamps the present). */
const receivedOn = (id: string, receivedAt: string) =>
  t.db.execute(
    sql`insert into metric_events (project_id, event_id, type, at, data, received_at, received_day)
        values (${f.projectId}::uuid, ${id}, 'metric', ${receivedAt}::timestamptz, '{}'::jsonb, ${receivedAt}::timestamptz,
          (${receivedAt}::timestamptz at time zone 'UTC')::date)`,
  );
const inDay = async (name: string) =>
  (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from "${name}"`)))[0]!.n;

describe("raw events by day", () => {
  it("drops whole days past the retention across a month's end, and the default partition's strays", async () => {
    expect(await ensureEventPartitions(t.db, new Date("2026-10-30T12:00:00Z"), 3)).toEqual([
      "metric_events_20261030",
      "metric_events_20261031",
      "metric_events_20261101",
      "metric_events_20261102",
    ]);
    // Made once: a second call makes nothing.
    expect(await ensureEventPartitions(t.db, new Date("2026-10-30T12:00:00Z"), 3)).toEqual([]);
    for (const [i, at] of [
      "2026-10-30T01:00:00Z",
      "2026-10-31T23:59:59Z",
      "2026-11-01T00:00:00Z",
      "2026-11-02T08:00:00Z",
    ].entries()) {
      await receivedOn(`day-${i}-a`, at);
      await receivedOn(`day-${i}-b`, at);
    }
    // A day with no partition of its own lands in the default partition.
    await receivedOn("stray", "2026-10-15T10:00:00Z");
    expect([await inDay("metric_events_20261031"), await inDay("metric_events_default")]).toEqual([2, 1]);

    // One day kept on 2 November: 1 November and after stay; October goes, whole partitions at a time.
    expect(await pruneRawEvents(t.db, 1, new Date("2026-11-02T10:00:00Z"))).toBe(5);
    const left = await partitions();
    expect(left).not.toContain("metric_events_20261030");
    expect(left).not.toContain("metric_events_20261031");
    expect(left).toEqual(
      expect.arrayContaining(["metric_events_20261101", "metric_events_20261102", "metric_events_default"]),
    );
    expect([await inDay("metric_events_20261101"), await inDay("metric_events_20261102")]).toEqual([2, 2]);
    expect(await inDay("metric_events_default")).toBe(0);
    // Nothing more to do the same day.
    expect(await pruneRawEvents(t.db, 1, new Date("2026-11-02T11:00:00Z"))).toBe(0);
  });

  it("counts a resend once when the first arrived within the two days before; today's partition exists", async () => {
    const today = new Date();
    expect(await partitions()).toContain(`metric_events_${today.toISOString().slice(0, 10).replaceAll("-", "")}`);
    const event = (id: string) => ({
      id,
      type: "metric",
      name: "score",
      value: 1,
      prompt: "kept",
      version: 1,
      subject: "s",
    });
    await receivedOn("resend-yesterday", new Date(today.getTime() - 86_400_000).toISOString());
    await receivedOn("resend-long-ago", new Date(today.getTime() - 5 * 86_400_000).toISOString());
    const r = await ingestEvents(t.db, f.projectId, {
      events: [event("resend-yesterday"), event("fresh"), event("fresh"), event("resend-long-ago")],
    });
    // A resend five days on is beyond the two-day window (docs/experiments.md): it counts again.
    expect(r).toEqual({ accepted: 2, duplicates: 2 });
    expect(await ingestEvents(t.db, f.projectId, { events: [event("fresh")] })).toEqual({ accepted: 0, duplicates: 1 });
  });
});
