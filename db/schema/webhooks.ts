// Outgoing webhooks per project and their delivery log. The audit log is the outbox: a dispatcher
// turns committed audit entries into delivery rows (lib/webhooks/dispatch.ts), and the delivery
// rows are the durable truth about what still has to be sent (lib/webhooks/deliver.ts).
import {
  bigint,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, uuidKey, writtenAt } from "./columns";
import { sql } from "drizzle-orm";
import { projects } from "./projects";
import { users } from "./users";
import { xid8 } from "./audit";
// Types only (erased at build): the event body is defined where it is built.
import type { WebhookEvent } from "../../lib/webhooks/events";

export const webhookFormatEnum = pgEnum("webhook_format", ["json", "slack"]);
export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", [
  "pending",
  "delivered",
  "failed",
  "retrying",
]);

export const webhooks = pgTable(
  "webhooks",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    url: text().notNull(),
    events: text().array().notNull(),
    description: text().notNull().default(""),
    format: webhookFormatEnum().notNull().default("json"),
    // The signing secret, AES-256-GCM encrypted with LECTERN_ENCRYPTION_KEY, bound to this row's id.
    secret: text().notNull(),
    // The last characters of the secret, so people can tell secrets apart without seeing them.
    secretHint: text().notNull(),
    createdBy: refOrNull(() => users.id),
    createdByLabel: text().notNull(),
    createdAt: writtenAt(),
    // Deleting a webhook disables it: its delivery log stays readable in the audit trail's terms.
    disabledAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.projectId)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuidKey(),
    webhookId: ownedBy(() => webhooks.id),
    // The event's id as receivers see it (`evt_<audit id>`): the same on every attempt and redelivery.
    eventId: text().notNull(),
    auditId: bigint({ mode: "number" }),
    type: text().notNull(),
    // The event body {id, type, createdAt, project, data}; a Slack webhook gets it rendered at send time.
    payload: jsonb().$type<WebhookEvent>().notNull(),
    status: webhookDeliveryStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    lastStatusCode: smallint(),
    lastError: text(),
    nextAttemptAt: timestamp({ withTimezone: true }),
    // An attempt in progress holds the row until then (an instance that dies mid-attempt lets go).
    claimedUntil: timestamp({ withTimezone: true }),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: writtenAt(),
    // A redelivery is a new row pointing at the delivery it repeats.
    redeliveryOf: uuid(),
  },
  (t) => [
    // Dispatching an audit entry twice creates nothing new.
    uniqueIndex("webhook_deliveries_event")
      .on(t.webhookId, t.eventId)
      .where(sql`${t.redeliveryOf} is null`),
    index().on(t.webhookId, t.createdAt),
    index("webhook_deliveries_due")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'retrying')`),
    // The attempts in flight (a claim is cleared when its attempt ends): what a project's share counts
    // (lib/webhooks/turns.ts).
    index("webhook_deliveries_claimed")
      .on(t.webhookId)
      .where(sql`${t.claimedUntil} is not null`),
  ],
);

// The dispatcher's position in the audit log: (transaction id, audit id) of the last entry handled.
// One row (id = 1); see lib/webhooks/dispatch.ts for why the position is a transaction id.
export const webhookDispatchState = pgTable("webhook_dispatch_state", {
  id: smallint().primaryKey(),
  lastTxid: xid8().notNull(),
  lastAuditId: bigint({ mode: "number" }).notNull(),
  updatedAt: writtenAt(),
});
