// Webhooks and deliveries as the API shows them, and a webhook's signing secret (stored AES-256-GCM
// encrypted, bound to the webhook's id).
import { z } from "zod";
import { webhookDeliveries, webhooks } from "../../db/schema";
import { decryptSecret } from "../llm/secrets";
import { webhookFormats } from "./webhook-config";

const instant = z.iso.datetime({ offset: true });

export type WebhookSummary = {
  id: string;
  url: string;
  events: string[];
  description: string;
  format: (typeof webhookFormats)[number];
  secretHint: string;
  createdBy: string;
  createdAt: string;
};

/** A webhook as the API shows it (no secret). */
export const webhookSummarySchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  format: z.enum(webhookFormats),
  secretHint: z.string(),
  createdBy: z.string(),
  createdAt: instant,
});

export type DeliverySummary = {
  id: string;
  webhookId: string;
  eventId: string;
  type: string;
  status: "pending" | "delivered" | "failed" | "retrying";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  redeliveryOf: string | null;
  payload: unknown;
};

/** A delivery of the log, with the event body it sends. */
export const deliverySummarySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  type: z.string(),
  status: z.enum(["pending", "delivered", "failed", "retrying"]),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: instant.nullable(),
  deliveredAt: instant.nullable(),
  createdAt: instant,
  redeliveryOf: z.string().nullable(),
  payload: z.unknown(),
});

/** POST /api/v1/webhooks: the webhook with its signing secret, shown this once. */
export const createdWebhookResponse = webhookSummarySchema.extend({ secret: z.string() });
/** GET /api/v1/webhooks */
export const webhookListResponse = z.object({ data: z.array(webhookSummarySchema) });
/** DELETE /api/v1/webhooks/{id} */
export const deletedWebhookResponse = webhookSummarySchema.extend({ deletedAt: instant });
/** GET /api/v1/webhooks/{id}/deliveries: a page; `next` is the `before` of the next one. */
export const deliveryLogResponse = z.object({ data: z.array(deliverySummarySchema), next: instant.nullable() });

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export const summary = (r: WebhookRow): WebhookSummary => ({
  id: r.id,
  url: r.url,
  events: r.events,
  description: r.description,
  format: r.format,
  secretHint: r.secretHint,
  createdBy: r.createdByLabel,
  createdAt: r.createdAt.toISOString(),
});

export const deliverySummary = (r: DeliveryRow): DeliverySummary => ({
  id: r.id,
  webhookId: r.webhookId,
  eventId: r.eventId,
  type: r.type,
  status: r.status,
  attempts: r.attempts,
  lastStatusCode: r.lastStatusCode,
  lastError: r.lastError,
  nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
  deliveredAt: r.deliveredAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  redeliveryOf: r.redeliveryOf,
  payload: r.payload,
});

export const secretContext = (webhookId: string) => `webhook:${webhookId}`;

/** The signing secret of a webhook, decrypted (for signing deliveries only; never returned by an API). */
export const webhookSecret = (row: Pick<WebhookRow, "id" | "secret">, key: Uint8Array) =>
  decryptSecret(row.secret, key, secretContext(row.id));

// The builders' types satisfy their schemas: a field renamed in one and not the other fails the typecheck.
const _webhook: (r: WebhookRow) => z.input<typeof webhookSummarySchema> = summary;
const _delivery: (r: DeliveryRow) => z.input<typeof deliverySummarySchema> = deliverySummary;
void [_webhook, _delivery];
