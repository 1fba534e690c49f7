// The delivery log of a webhook, redelivery, and the housekeeping that prunes old deliveries.
import type { DomainContext } from "../context";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { webhookDeliveries } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { parseInput, isUuid } from "../validation";
import { deliverySummary, type DeliverySummary } from "./summaries";
import { activeWebhook } from "./webhooks";

export const listDeliveriesInput = z.object({
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int({ error: "limit must be a whole number" })
    .min(1, { error: "limit must be at least 1" })
    .max(200, { error: "limit must be at most 200" })
    .default(50)
    .describe("How many deliveries, newest first (1–200)"),
  before: z.iso
    .datetime({ offset: true, error: "before must be an ISO 8601 date-time" })
    .optional()
    .describe("Deliveries made before this moment: the previous page's `next` (ISO 8601)"),
});

/** The newest deliveries of a webhook first (keyset by creation time). */
export async function listDeliveries(
  ctx: DomainContext,
  webhookId: string,
  input: z.input<typeof listDeliveriesInput> = {},
): Promise<DeliverySummary[]> {
  const { db, projectId } = ctx;
  const q = parseInput(listDeliveriesInput, input);
  const hook = await activeWebhook(db, projectId, webhookId);
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, hook.id),
        q.before ? lt(webhookDeliveries.createdAt, new Date(q.before)) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(q.limit);
  return rows.map(deliverySummary);
}

/** GET /api/v1/webhooks/{id}/deliveries: a page of the log; `next` is the `before` of the next page. */
export async function listWebhookDeliveries(
  ctx: DomainContext,
  webhookId: string,
  input: z.input<typeof listDeliveriesInput> = {},
) {
  const data = await listDeliveries(ctx, webhookId, input);
  const { limit } = parseInput(listDeliveriesInput, input);
  return { data, next: data.length === limit ? data.at(-1)!.createdAt : null };
}

/**
 * Sends a delivery's event again as a new delivery (same event id and body, a fresh 24-hour retry window);
 * `queue` asks for an attempt soon after commit (otherwise the next sweep sends it).
 */
export async function redeliverWebhookDelivery(
  ctx: DomainContext,
  webhookId: string,
  deliveryId: string,
  queue?: (deliveryId: string) => Promise<void>,
): Promise<DeliverySummary> {
  const { db, actor, projectId } = ctx;
  const hook = await activeWebhook(db, projectId, webhookId);
  const [original] = isUuid(deliveryId)
    ? await db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, hook.id)))
    : [];
  if (!original) throw new AppError("not_found", `Webhook ${webhookId} has no delivery ${deliveryId}.`);
  const delivery = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({
        webhookId: hook.id,
        eventId: original.eventId,
        auditId: original.auditId,
        type: original.type,
        payload: original.payload,
        status: "pending",
        nextAttemptAt: sql`now()`,
        redeliveryOf: original.id,
      })
      .returning();
    await recordAudit(tx, {
      projectId,
      actor,
      action: "webhook.redeliver",
      objectType: "webhook",
      objectId: hook.id,
      after: { delivery: row!.id, of: original.id, eventId: original.eventId },
    });
    return deliverySummary(row!);
  });
  await queue?.(delivery.id);
  return delivery;
}

/** Deletes finished deliveries older than `days` (housekeeping); returns how many. */
export async function pruneDeliveries(db: Db, days = 30): Promise<number> {
  const rows = await db
    .delete(webhookDeliveries)
    .where(
      and(
        sql`${webhookDeliveries.status} in ('delivered', 'failed')`,
        lt(webhookDeliveries.createdAt, sql`now() - make_interval(days => ${days})`),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  return rows.length;
}
