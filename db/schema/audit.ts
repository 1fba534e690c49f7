// Append-only record of who did what to which object (trigger in migration 0001 forbids UPDATE/DELETE).
import { bigserial, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { projects } from "./projects";

export const actorTypeEnum = pgEnum("actor_type", ["user", "api_key", "system"]);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    projectId: uuid().references(() => projects.id, { onDelete: "cascade" }),
    actorType: actorTypeEnum().notNull(),
    actorId: text(),
    actorLabel: text().notNull(),
    action: text().notNull(),
    objectType: text().notNull(),
    objectId: text(),
    before: jsonb(),
    after: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [index().on(t.projectId, t.id), index().on(t.projectId, t.objectType, t.objectId)],
);
