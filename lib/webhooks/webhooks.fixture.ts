// Shared setup of the webhook delivery integration tests (webhooks-create, delivery-*, redelivery,
// slack-delivery): a database with a project, a real local receiver, and helpers to make events and
// deliveries due. Call setUpWebhooks() at the top of a test file; the bindings below are live, set by
// its hooks.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { webhookDeliveries } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { seedProject, type Fixture } from "../../test/domain-fixtures";
import { dispatchAll, startReceiver, type Receiver } from "../../test/webhook-receiver";
import { createPrompt } from "../registry/prompts";
import type { Resolver } from "../net/ssrf";
import type { WebhookConfig } from "./webhook-config";

export let t: TestDatabase;
export let fx: Fixture;
export let rx: Receiver;
export const key = randomBytes(32);
export const config: WebhookConfig = { encryptionKey: key, allowPrivate: true };
export const names =
  (map: Record<string, string>): Resolver =>
  async (host) =>
    map[host] ? [{ address: map[host]!, family: 4 }] : [];

export function setUpWebhooks() {
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
}

export let promptSeq = 0;
/** Writes a new audit entry that sends prompt.version_created, and dispatches it. */
export async function newEvent() {
  const name = `p-${++promptSeq}`;
  await createPrompt(fx.ctx(fx.editor), { name, type: "text", template: "hello" });
  return dispatchAll(t.db);
}
export const makeDue = (id: string) =>
  t.db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: sql`now()` })
    .where(eq(webhookDeliveries.id, id));
