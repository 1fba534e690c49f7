// Shared setup of the dispatcher integration tests (dispatch-*.int.test.ts): a database with a project,
// a real local receiver, and the deliveries a webhook got. Call setUpDispatch() at the top of a test
// file; the bindings below are live, set by its hooks.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { webhookDeliveries } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { seedProject, type Fixture } from "../../test/domain-fixtures";
import { startReceiver, type Receiver } from "../../test/webhook-receiver";
import type { WebhookConfig } from "./webhook-config";

export let t: TestDatabase;
export let fx: Fixture;
export let rx: Receiver;
export const config: WebhookConfig = { encryptionKey: randomBytes(32), allowPrivate: true };

export function setUpDispatch() {
  beforeAll(async () => {
    t = await createTestDatabase();
    fx = await seedProject(t.db, "dispatch");
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx.close();
    await t.drop();
  });
}

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
