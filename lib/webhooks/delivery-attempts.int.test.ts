// Delivering to a real local receiver: signed bodies, a 500 retried, no redirects followed, timeouts,
// the 24-hour window, and one attempt per delivery when two sweeps run at once.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookDeliveries } from "../../db/schema";
import { dispatchAll } from "../../test/webhook-receiver";
import { createVersion } from "../registry/versions";
import { attemptDelivery, deliverDue } from "./deliver";
import { listDeliveries } from "./deliveries";
import {
  config,
  dropHook,
  fx,
  hookAt,
  makeDue,
  newDelivery,
  newEvent,
  promptSeq,
  rx,
  setUpWebhooks,
  t,
} from "./webhooks.fixture";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

setUpWebhooks();

describe("deliveries", () => {
  it("retries a 500, then delivers a signed body the receiver verifies; the log shows both attempts", async () => {
    const hook = await hookAt("/hook");
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

    const [log] = await listDeliveries(projectContext(t.db, fx.admin, fx.projectId, noEvents), hook.id);
    expect(log).toMatchObject({
      status: "delivered",
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      eventId: body.id,
    });
    await dropHook(hook.id);
  });

  it("does not follow redirects", async () => {
    const hook = await hookAt("/moved");
    rx.script = [{ status: 302, headers: { location: `${rx.url}/elsewhere` } }];
    const out = await attemptDelivery(t.db, await newDelivery(hook.id), config);
    expect(out).toMatchObject({
      status: "retrying",
      statusCode: 302,
      error: `redirect (HTTP 302 to ${rx.url}/elsewhere) not followed`,
    });
    expect(rx.requests.map((r) => r.path)).toEqual(["/moved"]);
    await dropHook(hook.id);
  });

  it("gives up on a receiver that does not answer within the timeout", async () => {
    const hook = await hookAt("/slow");
    rx.script = ["hang"];
    const out = await attemptDelivery(t.db, await newDelivery(hook.id), {
      ...config,
      timeoutMs: 300,
    });
    expect(out).toMatchObject({ status: "retrying", statusCode: null, error: "no answer within 0.3 s" });
    await dropHook(hook.id);
  });

  it("marks a delivery failed once the 24-hour window is over", async () => {
    const hook = await hookAt("/late");
    rx.script = [{ status: 503 }];
    const id = await newDelivery(hook.id);
    await t.db
      .update(webhookDeliveries)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(webhookDeliveries.id, id));
    expect(await attemptDelivery(t.db, id, config)).toMatchObject({
      status: "failed",
      statusCode: 503,
      nextAttemptAt: null,
    });
    await dropHook(hook.id);
  });

  it("two sweeps at once attempt each delivery once (the claim)", async () => {
    const hook = await hookAt("/claim");
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
    await dropHook(hook.id);
  });
});
