// Webhooks per project (admin): create with a signing secret shown once, list, delete. The delivery
// log and redelivery are in deliveries.ts; secrets are stored AES-256-GCM encrypted, bound to the
// webhook's id (summaries.ts).
import type { DomainContext } from "../context";
import { randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { webhookDeliveries, webhooks } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { encryptSecret, maskSecret } from "../llm/secrets";
import { parseInput, isUuid } from "../validation";
import { checkWebhookUrl } from "./url-check";
import { secretContext, summary, type WebhookRow, type WebhookSummary } from "./summaries";
import { createWebhookInput, MAX_WEBHOOKS_PER_PROJECT, type WebhookConfig } from "./webhook-config";

export { createWebhookInput, MAX_WEBHOOKS_PER_PROJECT, webhookFormats, type WebhookConfig } from "./webhook-config";
export {
  createdWebhookResponse,
  deletedWebhookResponse,
  deliveryLogResponse,
  deliverySummary,
  deliverySummarySchema,
  webhookListResponse,
  webhookSecret,
  webhookSummarySchema,
  type DeliverySummary,
  type WebhookSummary,
} from "./summaries";
export { checkWebhookUrl } from "./url-check";

/** Creates a webhook and returns it with its signing secret; this is the only time the secret is shown. */
export async function createWebhook(
  ctx: DomainContext,
  input: z.input<typeof createWebhookInput>,
  config: WebhookConfig,
) {
  const { db, actor, projectId } = ctx;
  const data = parseInput(createWebhookInput, input);
  const url = await checkWebhookUrl(data.url, config);
  const id = randomUUID();
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  const row = await db.transaction(async (tx) => {
    const [{ n }] = (await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(webhooks)
      .where(and(eq(webhooks.projectId, projectId), isNull(webhooks.disabledAt)))) as [{ n: number }];
    if (n >= MAX_WEBHOOKS_PER_PROJECT)
      throw new AppError(
        "conflict",
        `A project can have at most ${MAX_WEBHOOKS_PER_PROJECT} webhooks; delete one first.`,
      );
    const [inserted] = await tx
      .insert(webhooks)
      .values({
        id,
        projectId,
        url: url.toString(),
        events: data.events,
        description: data.description,
        format: data.format,
        secret: encryptSecret(secret, config.encryptionKey, secretContext(id)),
        secretHint: maskSecret(secret),
        createdBy: actor.type === "user" ? actor.id : null,
        createdByLabel: actor.label,
      })
      .returning();
    await recordAudit(tx, {
      projectId,
      actor,
      action: "webhook.create",
      objectType: "webhook",
      objectId: id,
      after: { url: inserted!.url, events: data.events, format: data.format },
    });
    return inserted!;
  });
  return { ...summary(row), secret };
}

export async function listWebhooks(ctx: DomainContext): Promise<WebhookSummary[]> {
  const { db, projectId } = ctx;
  const rows = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.projectId, projectId), isNull(webhooks.disabledAt)))
    .orderBy(desc(webhooks.createdAt));
  return rows.map(summary);
}

export async function activeWebhook(db: Db, projectId: string, id: string): Promise<WebhookRow> {
  const [row] = isUuid(id)
    ? await db
        .select()
        .from(webhooks)
        .where(and(eq(webhooks.id, id), eq(webhooks.projectId, projectId), isNull(webhooks.disabledAt)))
    : [];
  if (!row) throw new AppError("not_found", `No webhook with id ${id}.`);
  return row;
}

/** Deletes (disables) a webhook: nothing more is sent to it, including deliveries still waiting. */
export async function deleteWebhook(ctx: DomainContext, id: string): Promise<WebhookSummary & { deletedAt: string }> {
  const { db, actor, projectId } = ctx;
  const existing = await activeWebhook(db, projectId, id);
  const row = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(webhooks)
      .set({ disabledAt: new Date() })
      .where(and(eq(webhooks.id, existing.id), isNull(webhooks.disabledAt)))
      .returning();
    if (!updated) throw new AppError("not_found", `No webhook with id ${id}.`);
    await tx
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: "the webhook was deleted", nextAttemptAt: null })
      .where(
        and(eq(webhookDeliveries.webhookId, existing.id), sql`${webhookDeliveries.status} in ('pending', 'retrying')`),
      );
    await recordAudit(tx, {
      projectId,
      actor,
      action: "webhook.delete",
      objectType: "webhook",
      objectId: existing.id,
      before: { url: existing.url, events: existing.events },
    });
    return updated;
  });
  return { ...summary(row), deletedAt: row.disabledAt!.toISOString() };
}
