// Redelivering an event, and deleting a webhook: waiting deliveries fail and new events create none.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookDeliveries } from "../../db/schema";
import { failure } from "../../test/domain-fixtures";
import { queryRows } from "../../db/client";
import { attemptDelivery, deliverDue } from "./deliver";
import { listWebhookDeliveries, redeliverWebhookDelivery } from "./deliveries";
import { listWebhooks } from "./webhooks";
import { config, dropHook, fx, hookAt, newDelivery, newEvent, rx, setUpWebhooks, t } from "./webhooks.fixture";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

setUpWebhooks();

describe("deliveries", () => {
  it("redelivers an event as a new delivery with the same event id and body", async () => {
    const hook = await hookAt("/again");
    rx.secret = hook.secret;
    const id = await newDelivery(hook.id);
    expect(await attemptDelivery(t.db, id, config)).toMatchObject({ status: "delivered" });
    // The queue is asked for the new delivery once it is committed (it reads the row).
    const queued: unknown[] = [];
    const queue = async (deliveryId: string) => {
      queued.push((await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)))[0]?.id);
    };
    const again = await redeliverWebhookDelivery(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      hook.id,
      id,
      queue,
    );
    expect(again).toMatchObject({ status: "pending", attempts: 0, redeliveryOf: id });
    expect(queued).toEqual([again.id]);
    // The log's pages: newest first, `next` the cursor while a page is full.
    const page = await listWebhookDeliveries(projectContext(t.db, fx.admin, fx.projectId, noEvents), hook.id, {
      limit: 1,
    });
    expect([page.data.map((d) => d.id), page.next]).toEqual([[again.id], again.createdAt]);
    const rest = await listWebhookDeliveries(projectContext(t.db, fx.admin, fx.projectId, noEvents), hook.id, {
      limit: 5,
      before: page.next!,
    });
    expect([rest.data.map((d) => d.id), rest.next]).toEqual([[id], null]);
    expect(await deliverDue(t.db, config)).toMatchObject({ delivered: 1 });
    expect(rx.requests).toHaveLength(2);
    expect(rx.requests[0]!.body).toBe(rx.requests[1]!.body);
    expect(rx.requests.every((r) => r.signature?.ok)).toBe(true);
    expect(
      (
        await failure(
          redeliverWebhookDelivery(
            projectContext(t.db, fx.admin, fx.projectId, noEvents),
            hook.id,
            "00000000-0000-0000-0000-000000000000",
          ),
        )
      ).code,
    ).toBe("not_found");
    await dropHook(hook.id);
  });

  it("a deleted webhook gets nothing more: waiting deliveries fail, new events create none", async () => {
    const hook = await hookAt("/gone");
    const waiting = await newDelivery(hook.id);
    await dropHook(hook.id);
    expect(await attemptDelivery(t.db, waiting, config)).toEqual({ deliveryId: waiting, status: "skipped" });
    const [row] = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, waiting));
    expect(row).toMatchObject({ status: "failed", lastError: "the webhook was deleted" });
    expect((await newEvent()).deliveries.some((d) => d.webhookId === hook.id)).toBe(false);
    expect(
      (await listWebhooks(projectContext(t.db, fx.admin, fx.projectId, noEvents))).some((w) => w.id === hook.id),
    ).toBe(false);
    expect((await failure(dropHook(hook.id))).code).toBe("not_found");
    expect(rx.requests).toHaveLength(0);
    const audit = await queryRows<{ action: string }>(
      t.db,
      sql`select action from audit_log where object_id = ${hook.id} order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(["webhook.create", "webhook.delete"]);
  });
});
