// Shared setup of the webhook integration tests (webhooks-create, delivery-*, redelivery, slack-delivery,
// dispatch-*): a database with a project, a real local receiver, and helpers to create webhooks at the
// receiver, make events and deliveries due, and read what a webhook got. Call setUpWebhooks() at the
// top of a test file; the bindings below are live, set by its hooks.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { z } from "zod";
import { webhookDeliveries } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { seedProject, type Fixture } from "../../test/domain-fixtures";
import { dispatchAll, startReceiver, type Receiver } from "../../test/webhook-receiver";
import { createPrompt } from "../registry/prompts";
import type { Resolver } from "../net/ssrf";
import type { createWebhookInput, WebhookConfig } from "./webhook-config";
import { createWebhook, deleteWebhook } from "./webhooks";

export let t: TestDatabase;
export let fx: Fixture;
export let rx: Receiver;
export const key = randomBytes(32);
export const config: WebhookConfig = { encryptionKey: key, allowPrivate: true };
export const names =
  (map: Record<string, string>): Resolver =>
  async (host) =>
    map[host] ? [{ address: map[host]!, family: 4 }] : [];

/** Hooks for a test file: a database with the project `slug`, a receiver cleared before each test. */
export function setUpWebhooks(slug = "hooks") {
  beforeAll(async () => {
    t = await createTestDatabase();
    fx = await seedProject(t.db, slug);
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
}

type HookInput = Partial<z.input<typeof createWebhookInput>>;
/** An admin creates a webhook (for prompt.version_created unless `input` says) at the receiver's `path`. */
export const hookAt = (path: string, input: HookInput = {}, cfg: WebhookConfig = config) =>
  createWebhook(fx.ctx(fx.admin), { url: `${rx.url}${path}`, events: ["prompt.version_created"], ...input }, cfg);
export const dropHook = (id: string) => deleteWebhook(fx.ctx(fx.admin), id);

export let promptSeq = 0;
/** Writes a new audit entry that sends prompt.version_created, and dispatches it. */
export async function newEvent() {
  const name = `p-${++promptSeq}`;
  await createPrompt(fx.ctx(fx.editor), { name, type: "text", template: "hello" });
  return dispatchAll(t.db);
}
/** A new prompt.version_created event, dispatched: the id of its delivery to the webhook `hookId`. */
export async function newDelivery(hookId: string) {
  const { deliveries } = await newEvent();
  return deliveries.find((d) => d.webhookId === hookId)!.id;
}
export const makeDue = (id: string) =>
  t.db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: sql`now()` })
    .where(eq(webhookDeliveries.id, id));

/** The deliveries a webhook got, in audit order: type, event id and data. */
export const deliveriesOf = async (webhookId: string) =>
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
