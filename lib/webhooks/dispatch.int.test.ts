// The dispatcher on the real database: which audit entries become which deliveries, exactly once,
// including entries committed out of id order (PostgreSQL: PGlite has one connection, so its
// transactions cannot interleave), and the whole path through the job queue and NOTIFY.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { webhookDeliveries } from "../../db/schema";
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from "../../test/db";
import { seedProject, type Fixture } from "../../test/domain-fixtures";
import { testLog, waitFor } from "../../test/jobs";
import { dispatchAll, startReceiver, type Receiver } from "../../test/webhook-receiver";
import { recordAudit, type AuditEntry } from "../audit/record";
import { JobRegistry, startJobs } from "../jobs";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { promote } from "../release/promote";
import { rollback } from "../release/rollback";
import { decideReview, requestReview } from "../release/reviews";
import { auditBacklog, dispatchAuditEvents } from "./dispatch";
import { webhookEvents } from "./events";
import { watchAudit, webhookJobs } from "./jobs";
import { createWebhook, type WebhookConfig } from "./webhooks";

let t: TestDatabase;
let fx: Fixture;
let rx: Receiver;
const config: WebhookConfig = { encryptionKey: randomBytes(32), allowPrivate: true };

beforeAll(async () => {
  t = await createTestDatabase();
  fx = await seedProject(t.db, "dispatch");
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
  await t.drop();
});

const deliveriesOf = async (webhookId: string) =>
  (
    await t.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.webhookId, webhookId))
      .orderBy(webhookDeliveries.auditId)
  ).map((d) => ({
    type: d.type,
    eventId: d.eventId,
    data: (d.payload as { data: Record<string, unknown> }).data,
  }));

describe("audit entries → deliveries", () => {
  it("maps a release workflow to events, each once, only for subscribed webhooks created before the entry", async () => {
    await dispatchAll(t.db); // start from a clean position
    const all = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/all`, events: [...webhookEvents] },
      config,
    );
    const rollbacks = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/rb`, events: ["prompt.rolled_back"] },
      config,
    );
    const ed = fx.ctx(fx.editor);
    await createPrompt(ed, { name: "flow", type: "text", template: "one" });
    await createVersion(ed, "flow", { template: "two", commitMessage: "second" });
    await promote(ed, "flow", { environment: "development", version: 1 });
    await promote(ed, "flow", { environment: "development", version: 2, reason: "ship it" });
    await rollback(fx.ctx(fx.approver), "flow", { environment: "development", reason: "bad answers" });
    await rollback(
      fx.ctx(fx.approver),
      "flow",
      { environment: "development", version: 2, reason: "thumbs down 12%" },
      { action: "auto_rollback" },
    );
    const approved = await requestReview(ed, "flow", { version: 2, environment: "production" });
    await decideReview(fx.ctx(fx.approver), approved.id, { decision: "approve", comment: "lgtm" });
    const rejected = await requestReview(ed, "flow", { version: 1, environment: "staging", deployOnApprove: false });
    await decideReview(fx.ctx(fx.approver2), rejected.id, { decision: "reject", comment: "no" });

    const first = await dispatchAll(t.db);
    expect(first.examined).toBe(11);
    const got = await deliveriesOf(all.id);
    expect(got.map((d) => d.type)).toEqual([
      "prompt.version_created",
      "prompt.version_created",
      "prompt.deployed",
      "prompt.deployed",
      "prompt.rolled_back",
      "prompt.rolled_back",
      "review.requested",
      "review.decided",
      "prompt.deployed",
      "review.requested",
      "review.decided",
    ]);
    expect(got[1]!.data).toMatchObject({
      prompt: "flow",
      version: 2,
      commitMessage: "second",
      source: "save",
      actor: { type: "user", label: fx.editor.label },
    });
    expect(got[3]!.data).toMatchObject({
      prompt: "flow",
      environment: "development",
      version: 2,
      previousVersion: 1,
      reason: "ship it",
      automatic: false,
    });
    expect(got[4]!.data).toMatchObject({
      prompt: "flow",
      environment: "development",
      version: 1,
      previousVersion: 2,
      reason: "bad answers",
      automatic: false,
    });
    expect(got[5]!.data).toMatchObject({
      prompt: "flow",
      version: 2,
      previousVersion: 1,
      reason: "thumbs down 12%",
      automatic: true,
    });
    expect(got[6]!.data).toMatchObject({
      reviewId: approved.id,
      prompt: "flow",
      version: 2,
      environment: "production",
    });
    expect(got[7]!.data).toMatchObject({
      reviewId: approved.id,
      decision: "approved",
      comment: "lgtm",
      prompt: "flow",
      version: 2,
      environment: "production",
    });
    expect(got[8]!.data).toMatchObject({ prompt: "flow", environment: "production", version: 2 });
    expect(got[10]!.data).toMatchObject({
      reviewId: rejected.id,
      decision: "rejected",
      prompt: "flow",
      version: 1,
      environment: "staging",
    });
    expect(new Set(got.map((d) => d.eventId)).size).toBe(11);
    expect((await deliveriesOf(rollbacks.id)).map((d) => [d.type, d.data.automatic])).toEqual([
      ["prompt.rolled_back", false],
      ["prompt.rolled_back", true],
    ]);

    // Nothing new: nothing more.
    expect(await dispatchAll(t.db)).toEqual({ examined: 0, deliveries: [], waiting: false });
    expect(await deliveriesOf(all.id)).toHaveLength(11);

    // An entry written before a webhook existed is not sent to it (but is to older webhooks).
    await createVersion(ed, "flow", { template: "three" });
    const late = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/late`, events: ["prompt.version_created"] },
      config,
    );
    await dispatchAll(t.db);
    expect(await deliveriesOf(late.id)).toEqual([]);
    expect(await deliveriesOf(all.id)).toHaveLength(12);
  });

  it("processes a long backlog in batches and resumes where it stopped", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/batch`, events: ["prompt.version_created"] },
      config,
    );
    for (let i = 0; i < 7; i++)
      await createPrompt(fx.ctx(fx.editor), { name: `batch-${i}`, type: "text", template: "x" });
    await waitFor("the entries to be final", async () => (await auditBacklog(t.db)).waiting === 0);
    expect(await auditBacklog(t.db)).toEqual({ ready: 7, waiting: 0 });
    const partial = await dispatchAuditEvents(t.db, { batchSize: 3, maxBatches: 1 });
    expect(partial.examined).toBe(3);
    const rest = await dispatchAll(t.db, { batchSize: 3 });
    expect(rest.examined).toBe(4);
    const got = await deliveriesOf(hook.id);
    expect(got.map((d) => d.data.prompt)).toEqual(Array.from({ length: 7 }, (_, i) => `batch-${i}`));
  });
});

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
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/ooo`, events: ["prompt.version_created"] },
      config,
    );
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
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/ooo2`, events: ["prompt.version_created"] },
      config,
    );
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
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/race`, events: ["prompt.version_created"] },
      config,
    );
    await dispatchAll(t.db);
    for (let i = 0; i < 30; i++) await recordAudit(t.db, entry(`race-${i}`));
    await waitFor("the entries to be final", async () => (await auditBacklog(t.db)).waiting === 0);
    const results = await Promise.all(Array.from({ length: 5 }, () => dispatchAuditEvents(t.db, { batchSize: 4 })));
    expect(results.reduce((n, r) => n + r.examined, 0)).toBe(30);
    expect(await deliveriesOf(hook.id)).toHaveLength(30);
  });
});

describe("through the job queue", () => {
  it("a change is delivered, signed, without anyone calling the dispatcher (NOTIFY → dispatch job → deliver job)", async () => {
    await dispatchAll(t.db);
    const log = testLog();
    const jobs = await startJobs({
      database: t,
      registry: new JobRegistry(webhookJobs(config)),
      schedulerEnabled: false,
      log,
      tuning: { pollingIntervalSeconds: 0.5 },
    });
    const unwatch = await watchAudit(jobs.driver, jobs, log);
    try {
      const hook = await createWebhook(
        t.db,
        fx.admin,
        fx.projectId,
        { url: `${rx.url}/live`, events: ["prompt.deployed"] },
        config,
      );
      rx.secret = hook.secret;
      rx.requests.length = 0;
      await promote(fx.ctx(fx.editor), "flow", { environment: "staging", version: 3, reason: "live test" });
      const req = await waitFor("the signed delivery", () => rx.requests.find((r) => r.path === "/live"));
      expect(req.signature).toMatchObject({ ok: true });
      expect(JSON.parse(req.body)).toMatchObject({
        type: "prompt.deployed",
        data: { prompt: "flow", environment: "staging", version: 3, reason: "live test" },
      });
      await waitFor(
        "the log to say delivered",
        async () =>
          (await deliveriesOf(hook.id)).length === 1 &&
          (await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id)))[0]!.status ===
            "delivered",
      );
    } finally {
      await unwatch();
      await jobs.stop();
    }
  });
});
