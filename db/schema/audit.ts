// Append-only record of who did what to which object (trigger in migration 0001 forbids UPDATE/DELETE).
import { bigserial, customType, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { projects } from "./projects";
// Types only (erased at build): the column shape is defined with the code that writes it.
import type { AuditState } from "../../lib/audit/contracts";
import type { AuditAction } from "../../lib/audit/actions";

/** PostgreSQL's 64-bit transaction id, read and written as decimal text. */
export const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8" });

export const actorTypeEnum = pgEnum("actor_type", ["user", "api_key", "system"]);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    projectId: uuid().references(() => projects.id, { onDelete: "cascade" }),
    actorType: actorTypeEnum().notNull(),
    actorId: text(),
    actorLabel: text().notNull(),
    action: text().$type<AuditAction>().notNull(),
    objectType: text().notNull(),
    objectId: text(),
    before: jsonb().$type<AuditState>(),
    after: jsonb().$type<AuditState>(),
    createdAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
    // The writing transaction. Ids are taken at insert but become visible at commit, so they can
    // appear out of order; transaction ids below the oldest running one cannot (lib/webhooks/dispatch.ts).
    txid: xid8()
      .notNull()
      .default(sql`pg_current_xact_id()`),
  },
  (t) => [index().on(t.projectId, t.id), index().on(t.projectId, t.objectType, t.objectId), index().on(t.txid, t.id)],
);
