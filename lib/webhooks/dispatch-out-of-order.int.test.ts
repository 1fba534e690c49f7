// Entries committed out of id order are not skipped (PostgreSQL only: PGlite has one connection, so
// its transactions cannot interleave).
import { sql } from "drizzle-orm";
import { Client } from "pg";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { testDatabaseUrl } from "../../test/db";
import { waitFor } from "../../test/jobs";
import { dispatchAll } from "../../test/webhook-receiver";
import { recordAudit, type AuditEntry } from "../audit/record";
import { auditBacklog, dispatchAuditEvents } from "./dispatch";
import { deliveriesOf, fx, hookAt, setUpWebhooks, t } from "./webhooks.fixture";

setUpWebhooks("dispatch");

describe.skipIf(!testDatabaseUrl)("out-of-order commits (PostgreSQL)", () => {
  const entry = (name: string): AuditEntry => ({
    projectId: fx.projectId,
    actor: fx.editor,
    action: "version.create",
    objectType: "prompt",
    objectId: null,
    after: { name, version: 1 },
  });
  const insertSql =
    "insert into audit_log (project_id, actor_type, actor_label, action, object_type, after) values ($1, 'user', 'slow@x', 'version.create', 'prompt', $2) returning id";

  async function hold() {
    const c = new Client({ connectionString: t.url });
    await c.connect();
    await c.query("begin");
    return c;
  }

  it("an entry with a lower id that commits later is not skipped", async () => {
    const hook = await hookAt("/ooo");
    await dispatchAll(t.db);
    const slow = await hold();
    const low = Number((await slow.query(insertSql, [fx.projectId, { name: "slow", version: 1 }])).rows[0].id);
    const high = await recordAudit(t.db, entry("fast"));
    expect(high).toBeGreaterThan(low);
    // What a naive "id > cursor" tail would see now: the higher id only.
    const visible = await queryRows<{ id: string }>(t.db, sql`select id from audit_log where id in (${low}, ${high})`);
    expect(visible.map((r) => Number(r.id))).toEqual([high]);
    // The dispatcher waits: the committed entry belongs to a transaction younger than a running one.
    expect(await dispatchAuditEvents(t.db)).toMatchObject({ examined: 0, waiting: true });
    expect((await auditBacklog(t.db)).waiting).toBeGreaterThanOrEqual(1);
    await slow.query("commit");
    await slow.end();
    const after = await dispatchAll(t.db);
    expect(after.examined).toBe(2);
    expect((await deliveriesOf(hook.id)).map((d) => d.eventId)).toEqual([`evt_${low}`, `evt_${high}`]);
    expect((await dispatchAll(t.db)).examined).toBe(0);
  });

  it("an older transaction that writes its entry after a younger one committed is not skipped either", async () => {
    const hook = await hookAt("/ooo2");
    await dispatchAll(t.db);
    const old = await hold();
    await old.query("select pg_current_xact_id()"); // the old transaction has its id before the young one
    const first = await recordAudit(t.db, entry("young"));
    expect(await dispatchAuditEvents(t.db)).toMatchObject({ examined: 0, waiting: true });
    const second = Number((await old.query(insertSql, [fx.projectId, { name: "old", version: 1 }])).rows[0].id);
    await old.query("commit");
    await old.end();
    expect((await dispatchAll(t.db)).examined).toBe(2);
    expect((await deliveriesOf(hook.id)).map((d) => d.eventId).sort()).toEqual(
      [`evt_${first}`, `evt_${second}`].sort(),
    );
  });

  it("dispatchers running at once handle every entry exactly once between them", async () => {
    const hook = await hookAt("/race");
    await dispatchAll(t.db);
    for (let i = 0; i < 30; i++) await recordAudit(t.db, entry(`race-${i}`));
    await waitFor("the entries to be final", async () => (await auditBacklog(t.db)).waiting === 0);
    const results = await Promise.all(Array.from({ length: 5 }, () => dispatchAuditEvents(t.db, { batchSize: 4 })));
    expect(results.reduce((n, r) => n + r.examined, 0)).toBe(30);
    expect(await deliveriesOf(hook.id)).toHaveLength(30);
  });
});
