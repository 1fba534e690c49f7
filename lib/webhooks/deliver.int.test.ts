// Webhooks against a real local receiver: creation (secret once, encrypted at rest, bad input,
// SSRF), deliveries (signature, 500 then 200, redirects, timeouts, SSRF at delivery), redelivery,
// deletion, the Slack format.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { webhookDeliveries, webhooks } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { failure, seedProject, type Fixture } from "../../test/domain-fixtures";
import { dispatchAll, startReceiver, type Receiver } from "../../test/webhook-receiver";
import { queryRows } from "../../db/client";
import { decryptSecret } from "../llm/secrets";
import { createVersion } from "../registry/versions";
import { createPrompt } from "../registry/prompts";
import { attemptDelivery, deliverDue } from "./deliver";
import { listDeliveries, redeliver } from "./deliveries";
import { createWebhook, deleteWebhook, listWebhooks, type WebhookConfig } from "./webhooks";
import type { Resolver } from "../net/ssrf";

let t: TestDatabase;
let fx: Fixture;
let rx: Receiver;
const key = randomBytes(32);
const config: WebhookConfig = { encryptionKey: key, allowPrivate: true };
const names =
  (map: Record<string, string>): Resolver =>
  async (host) =>
    map[host] ? [{ address: map[host]!, family: 4 }] : [];

beforeAll(async () => {
  t = await createTestDatabase();
  fx = await seedProject(t.db, "hooks");
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
  await t.drop();
});
beforeEach(() => {
  rx.requests.length = 0;
  rx.script = [];
});

let promptSeq = 0;
/** Writes a new audit entry that sends prompt.version_created, and dispatches it. */
async function newEvent() {
  const name = `p-${++promptSeq}`;
  await createPrompt(fx.ctx(fx.editor), { name, type: "text", template: "hello" });
  return dispatchAll(t.db);
}
const makeDue = (id: string) =>
  t.db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: sql`now()` })
    .where(eq(webhookDeliveries.id, id));

describe("creating webhooks", () => {
  it("shows the secret once, stores it encrypted, lists without it", async () => {
    const created = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/in`, events: ["prompt.version_created"], description: "ci" },
      config,
    );
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const [row] = await t.db.select().from(webhooks).where(eq(webhooks.id, created.id));
    expect(row!.secret).not.toContain(created.secret);
    expect(row!.secret).toMatch(/^v1\./);
    expect(decryptSecret(row!.secret, key, `webhook:${created.id}`)).toBe(created.secret);
    expect(() => decryptSecret(row!.secret, randomBytes(32), `webhook:${created.id}`)).toThrow();
    const listed = await listWebhooks(t.db, fx.admin, fx.projectId);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(listed.find((w) => w.id === created.id)).toMatchObject({
      url: `${rx.url}/in`,
      events: ["prompt.version_created"],
      description: "ci",
      format: "json",
      secretHint: created.secret.slice(-4).padStart(5, "…"),
    });
    await deleteWebhook(t.db, fx.admin, fx.projectId, created.id);
  });

  it.each([
    [{ url: "ftp://example.com/x", events: ["prompt.deployed"] }, "invalid_input", "url"],
    [{ url: "not a url", events: ["prompt.deployed"] }, "invalid_input", "url"],
    [{ url: "https://example.com/x", events: [] }, "invalid_input", "events"],
    [{ url: "https://example.com/x", events: ["prompt.exploded"] }, "invalid_input", "events.0"],
    [{ url: "https://example.com/x", events: ["prompt.deployed", "prompt.deployed"] }, "invalid_input", "events"],
    [{ url: "https://example.com/x", events: ["prompt.deployed"], format: "xml" }, "invalid_input", "format"],
    [{ events: ["prompt.deployed"] }, "invalid_input", "url"],
  ])("refuses %j (%s, field %s) and writes nothing", async (input, code, field) => {
    const before = (await t.db.select().from(webhooks)).length;
    const e = await failure(
      createWebhook(t.db, fx.admin, fx.projectId, input as never, {
        ...config,
        resolver: names({ "example.com": "93.184.215.14" }),
      }),
    );
    expect([e.code, e.details?.field]).toEqual([code, field]);
    expect((await t.db.select().from(webhooks)).length).toBe(before);
  });

  it.each([
    ["http://127.0.0.1:9/x", "loopback"],
    ["http://[::1]/x", "loopback"],
    ["http://10.0.0.8/x", "private"],
    ["http://169.254.169.254/latest/meta-data/", "metadata"],
    ["http://internal.test/x", "private"],
    ["http://localhost:3000/x", "loopback"],
  ])("refuses %s (%s) unless private targets are allowed", async (url, kind) => {
    const strict = { ...config, allowPrivate: false, resolver: names({ "internal.test": "192.168.1.20" }) };
    const e = await failure(createWebhook(t.db, fx.admin, fx.projectId, { url, events: ["prompt.deployed"] }, strict));
    expect(e.code).toBe("unprocessable");
    expect(e.details).toMatchObject({ field: "url", kind });
    expect((await listWebhooks(t.db, fx.admin, fx.projectId)).some((w) => w.url.startsWith(url.slice(0, 15)))).toBe(
      false,
    );
  });

  it("only admins manage webhooks", async () => {
    const e = await failure(
      createWebhook(t.db, fx.approver, fx.projectId, { url: `${rx.url}/in`, events: ["prompt.deployed"] }, config),
    );
    expect(e.code).toBe("forbidden");
    expect((await failure(listWebhooks(t.db, fx.viewer, fx.projectId))).code).toBe("forbidden");
  });
});

describe("deliveries", () => {
  it("retries a 500, then delivers a signed body the receiver verifies; the log shows both attempts", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/hook`, events: ["prompt.version_created"] },
      config,
    );
    rx.secret = hook.secret;
    rx.script = [{ status: 500, body: "boom" }];
    const { deliveries } = await newEvent();
    const mine = deliveries.filter((d) => d.webhookId === hook.id);
    expect(mine).toHaveLength(1);
    const first = await attemptDelivery(t.db, mine[0]!.id, config);
    expect(first).toMatchObject({ status: "retrying", attempts: 1, statusCode: 500, error: "HTTP 500: boom" });
    const waitS = (first.status === "retrying" ? first.nextAttemptAt!.getTime() - Date.now() : 0) / 1000;
    expect(waitS).toBeGreaterThan(20);
    expect(waitS).toBeLessThanOrEqual(30);
    // Not due yet: nothing happens.
    expect(await attemptDelivery(t.db, mine[0]!.id, config)).toEqual({ deliveryId: mine[0]!.id, status: "skipped" });
    await makeDue(mine[0]!.id);
    expect(await attemptDelivery(t.db, mine[0]!.id, config)).toMatchObject({
      status: "delivered",
      attempts: 2,
      statusCode: 200,
    });

    expect(rx.requests).toHaveLength(2);
    for (const r of rx.requests) {
      expect(r.signature).toMatchObject({ ok: true });
      expect(r.method).toBe("POST");
      expect(r.path).toBe("/hook");
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["lectern-event"]).toBe("prompt.version_created");
      expect(r.headers["lectern-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    }
    const body = JSON.parse(rx.requests[1]!.body);
    expect(body).toMatchObject({
      type: "prompt.version_created",
      project: { id: fx.projectId, slug: "hooks" },
      data: { prompt: `p-${promptSeq}`, version: 1, source: "create" },
    });
    expect(body.id).toMatch(/^evt_\d+$/);
    expect(Object.keys(body).sort()).toEqual(["createdAt", "data", "id", "project", "type"]);
    expect(rx.requests[0]!.body).toBe(rx.requests[1]!.body);

    const [log] = await listDeliveries(t.db, fx.admin, fx.projectId, hook.id);
    expect(log).toMatchObject({
      status: "delivered",
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      eventId: body.id,
    });
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
  });

  it("does not follow redirects", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/moved`, events: ["prompt.version_created"] },
      config,
    );
    rx.script = [{ status: 302, headers: { location: `${rx.url}/elsewhere` } }];
    const { deliveries } = await newEvent();
    const out = await attemptDelivery(t.db, deliveries.find((d) => d.webhookId === hook.id)!.id, config);
    expect(out).toMatchObject({
      status: "retrying",
      statusCode: 302,
      error: `redirect (HTTP 302 to ${rx.url}/elsewhere) not followed`,
    });
    expect(rx.requests.map((r) => r.path)).toEqual(["/moved"]);
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
  });

  it("gives up on a receiver that does not answer within the timeout", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/slow`, events: ["prompt.version_created"] },
      config,
    );
    rx.script = ["hang"];
    const { deliveries } = await newEvent();
    const out = await attemptDelivery(t.db, deliveries.find((d) => d.webhookId === hook.id)!.id, {
      ...config,
      timeoutMs: 300,
    });
    expect(out).toMatchObject({ status: "retrying", statusCode: null, error: "no answer within 0.3 s" });
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
  });

  it("checks the address it connects to: a name that now resolves to loopback is refused at delivery", async () => {
    // At creation the name resolved to a public address; by delivery time it points at 127.0.0.1.
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `http://rebind.test:${rx.port}/x`, events: ["prompt.version_created"] },
      { ...config, allowPrivate: false, resolver: names({ "rebind.test": "93.184.215.14" }) },
    );
    const rebound = names({ "rebind.test": "127.0.0.1" });
    const { deliveries } = await newEvent();
    const id = deliveries.find((d) => d.webhookId === hook.id)!.id;
    const out = await attemptDelivery(t.db, id, { ...config, allowPrivate: false, resolver: rebound });
    expect(out).toMatchObject({
      status: "retrying",
      statusCode: null,
      error: "refused: rebind.test resolves to 127.0.0.1, a loopback address",
    });
    expect(rx.requests).toHaveLength(0);
    // Control: the same resolver, private targets allowed — the request reaches the receiver through it.
    await makeDue(id);
    expect(await attemptDelivery(t.db, id, { ...config, allowPrivate: true, resolver: rebound })).toMatchObject({
      status: "delivered",
    });
    expect(rx.requests.map((r) => r.headers.host)).toEqual([`rebind.test:${rx.port}`]);
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
  });

  it("refuses a literal private address at delivery when private targets are no longer allowed", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/lit`, events: ["prompt.version_created"] },
      config,
    );
    const { deliveries } = await newEvent();
    const out = await attemptDelivery(t.db, deliveries.find((d) => d.webhookId === hook.id)!.id, {
      ...config,
      allowPrivate: false,
    });
    expect(out).toMatchObject({ status: "retrying", error: "refused: 127.0.0.1 is a loopback address" });
    expect(rx.requests).toHaveLength(0);
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
  });

  it("marks a delivery failed once the 24-hour window is over", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/late`, events: ["prompt.version_created"] },
      config,
    );
    rx.script = [{ status: 503 }];
    const { deliveries } = await newEvent();
    const id = deliveries.find((d) => d.webhookId === hook.id)!.id;
    await t.db
      .update(webhookDeliveries)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(webhookDeliveries.id, id));
    expect(await attemptDelivery(t.db, id, config)).toMatchObject({
      status: "failed",
      statusCode: 503,
      nextAttemptAt: null,
    });
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
  });

  it("redelivers an event as a new delivery with the same event id and body", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/again`, events: ["prompt.version_created"] },
      config,
    );
    rx.secret = hook.secret;
    const { deliveries } = await newEvent();
    const id = deliveries.find((d) => d.webhookId === hook.id)!.id;
    expect(await attemptDelivery(t.db, id, config)).toMatchObject({ status: "delivered" });
    const again = await redeliver(t.db, fx.admin, fx.projectId, hook.id, id);
    expect(again).toMatchObject({ status: "pending", attempts: 0, redeliveryOf: id });
    expect(await deliverDue(t.db, config)).toMatchObject({ delivered: 1 });
    expect(rx.requests).toHaveLength(2);
    expect(rx.requests[0]!.body).toBe(rx.requests[1]!.body);
    expect(rx.requests.every((r) => r.signature?.ok)).toBe(true);
    expect(
      (await failure(redeliver(t.db, fx.admin, fx.projectId, hook.id, "00000000-0000-0000-0000-000000000000"))).code,
    ).toBe("not_found");
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
  });

  it("sends the Slack format to slack webhooks", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/slack`, events: ["prompt.version_created"], format: "slack" },
      config,
    );
    rx.secret = hook.secret;
    const { deliveries } = await newEvent();
    await attemptDelivery(t.db, deliveries.find((d) => d.webhookId === hook.id)!.id, config);
    const body = JSON.parse(rx.requests[0]!.body);
    expect(body.text).toBe(`*p-${promptSeq}*: version 1 saved by ${fx.editor.label}`);
    expect(body.blocks[0]).toEqual({ type: "section", text: { type: "mrkdwn", text: body.text } });
    expect(rx.requests[0]!.signature?.ok).toBe(true);
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
  });

  it("a deleted webhook gets nothing more: waiting deliveries fail, new events create none", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/gone`, events: ["prompt.version_created"] },
      config,
    );
    const { deliveries } = await newEvent();
    const waiting = deliveries.find((d) => d.webhookId === hook.id)!.id;
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
    expect(await attemptDelivery(t.db, waiting, config)).toEqual({ deliveryId: waiting, status: "skipped" });
    const [row] = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, waiting));
    expect(row).toMatchObject({ status: "failed", lastError: "the webhook was deleted" });
    expect((await newEvent()).deliveries.some((d) => d.webhookId === hook.id)).toBe(false);
    expect((await listWebhooks(t.db, fx.admin, fx.projectId)).some((w) => w.id === hook.id)).toBe(false);
    expect((await failure(deleteWebhook(t.db, fx.admin, fx.projectId, hook.id))).code).toBe("not_found");
    expect(rx.requests).toHaveLength(0);
    const audit = await queryRows<{ action: string }>(
      t.db,
      sql`select action from audit_log where object_id = ${hook.id} order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(["webhook.create", "webhook.delete"]);
  });

  it("two sweeps at once attempt each delivery once (the claim)", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/claim`, events: ["prompt.version_created"] },
      config,
    );
    await newEvent();
    for (let i = 0; i < 3; i++) await createVersion(fx.ctx(fx.editor), `p-${promptSeq}`, { template: `v${i}` });
    await dispatchAll(t.db);
    const [a, b] = await Promise.all([
      deliverDue(t.db, config, { limit: 50 }),
      deliverDue(t.db, config, { limit: 50 }),
    ]);
    const mine = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
    expect(mine.length).toBe(4);
    expect(mine.every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
    expect(rx.requests.filter((r) => r.path === "/claim")).toHaveLength(mine.length);
    const ids = new Set(mine.map((d) => d.id));
    const delivered = [...a.outcomes, ...b.outcomes].filter((o) => ids.has(o.deliveryId) && o.status === "delivered");
    expect(delivered.map((o) => o.deliveryId).sort()).toEqual([...ids].sort());
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
  });
});
