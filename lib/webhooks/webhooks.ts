// Webhooks per project (admin): create with a signing secret shown once, list, delete, the delivery
// log and redelivery. Secrets are stored AES-256-GCM encrypted, bound to the webhook's id.
import { randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { webhookDeliveries, webhooks } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { authorize, type Actor } from "../auth/permissions";
import { AppError } from "../errors";
import { decryptSecret, encryptSecret, maskSecret } from "../llm/secrets";
import { parseInput } from "../validation";
import { webhookEvents } from "./events";
import { BlockedAddressError, checkHost, type Resolver } from "../net/ssrf";

export type WebhookConfig = {
  /** LECTERN_ENCRYPTION_KEY: 32 bytes. */
  encryptionKey: Uint8Array;
  /** LECTERN_WEBHOOK_ALLOW_PRIVATE: allow loopback, private and link-local targets (tests, closed networks). */
  allowPrivate: boolean;
  /** Host name resolution (tests inject answers; default: the system resolver). */
  resolver?: Resolver;
  /** Per-attempt timeout; default 10 s. */
  timeoutMs?: number;
};

export const MAX_WEBHOOKS_PER_PROJECT = 20;
export const webhookFormats = ["json", "slack"] as const;

export const createWebhookInput = z.object({
  url: z
    .string({ error: "url is required" })
    .trim()
    .min(1, { error: "url is required" })
    .max(2000, { error: "url must be at most 2000 characters" }),
  events: z
    .array(z.enum(webhookEvents, { error: `events must each be one of ${webhookEvents.join(", ")}` }), {
      error: "events must be a list of event types",
    })
    .min(1, { error: "events must name at least one event" })
    .max(webhookEvents.length, { error: "events lists an event more than once" })
    .refine((a) => new Set(a).size === a.length, { error: "events lists an event more than once" }),
  description: z
    .string({ error: "description must be text" })
    .trim()
    .max(500, { error: "description must be at most 500 characters" })
    .default(""),
  format: z.enum(webhookFormats, { error: `format must be one of ${webhookFormats.join(", ")}` }).default("json"),
});

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

type WebhookRow = typeof webhooks.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const summary = (r: WebhookRow): WebhookSummary => ({
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

const secretContext = (webhookId: string) => `webhook:${webhookId}`;

/** The signing secret of a webhook, decrypted (for signing deliveries only; never returned by an API). */
export const webhookSecret = (row: Pick<WebhookRow, "id" | "secret">, key: Uint8Array) =>
  decryptSecret(row.secret, key, secretContext(row.id));

/** Parses and checks a webhook URL: http(s) only, and (unless allowed) a public address. */
export async function checkWebhookUrl(
  raw: string,
  config: Pick<WebhookConfig, "allowPrivate" | "resolver">,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("invalid_input", "url must be an absolute http:// or https:// URL", { field: "url" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new AppError("invalid_input", "url must use http:// or https://", { field: "url" });
  if (!url.hostname) throw new AppError("invalid_input", "url must name a host", { field: "url" });
  try {
    await checkHost(url, config);
  } catch (e) {
    if (e instanceof BlockedAddressError)
      throw new AppError(
        "unprocessable",
        `url is refused: ${e.message}. Webhooks may only reach public addresses (set LECTERN_WEBHOOK_ALLOW_PRIVATE=true to allow private ones).`,
        {
          field: "url",
          address: e.address,
          kind: e.kind,
        },
      );
    throw new AppError("unprocessable", `url is refused: its host ${url.hostname} could not be resolved.`, {
      field: "url",
    });
  }
  return url;
}

/** Creates a webhook and returns it with its signing secret; this is the only time the secret is shown. */
export async function createWebhook(
  db: Db,
  actor: Actor,
  projectId: string,
  input: z.input<typeof createWebhookInput>,
  config: WebhookConfig,
) {
  authorize(actor, "webhook.manage");
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

export async function listWebhooks(db: Db, actor: Actor, projectId: string): Promise<WebhookSummary[]> {
  authorize(actor, "webhook.manage");
  const rows = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.projectId, projectId), isNull(webhooks.disabledAt)))
    .orderBy(desc(webhooks.createdAt));
  return rows.map(summary);
}

async function activeWebhook(db: Db, projectId: string, id: string): Promise<WebhookRow> {
  const [row] = z.uuid().safeParse(id).success
    ? await db
        .select()
        .from(webhooks)
        .where(and(eq(webhooks.id, id), eq(webhooks.projectId, projectId), isNull(webhooks.disabledAt)))
    : [];
  if (!row) throw new AppError("not_found", `No webhook with id ${id}.`);
  return row;
}

/** Deletes (disables) a webhook: nothing more is sent to it, including deliveries still waiting. */
export async function deleteWebhook(
  db: Db,
  actor: Actor,
  projectId: string,
  id: string,
): Promise<WebhookSummary & { deletedAt: string }> {
  authorize(actor, "webhook.manage");
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

export const listDeliveriesInput = z.object({
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int({ error: "limit must be a whole number" })
    .min(1, { error: "limit must be at least 1" })
    .max(200, { error: "limit must be at most 200" })
    .default(50),
  before: z.iso.datetime({ offset: true, error: "before must be an ISO 8601 date-time" }).optional(),
});

/** The newest deliveries of a webhook first (keyset by creation time). */
export async function listDeliveries(
  db: Db,
  actor: Actor,
  projectId: string,
  webhookId: string,
  input: z.input<typeof listDeliveriesInput> = {},
): Promise<DeliverySummary[]> {
  authorize(actor, "webhook.manage");
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

/** Sends a delivery's event again as a new delivery (same event id and body, a fresh 24-hour retry window). */
export async function redeliver(
  db: Db,
  actor: Actor,
  projectId: string,
  webhookId: string,
  deliveryId: string,
): Promise<DeliverySummary> {
  authorize(actor, "webhook.manage");
  const hook = await activeWebhook(db, projectId, webhookId);
  const [original] = z.uuid().safeParse(deliveryId).success
    ? await db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, hook.id)))
    : [];
  if (!original) throw new AppError("not_found", `Webhook ${webhookId} has no delivery ${deliveryId}.`);
  return db.transaction(async (tx) => {
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
