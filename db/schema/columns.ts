// Column shapes many tables share. Each is a function: every column needs its own builder.
import { type AnyPgColumn, timestamp, uuid } from "drizzle-orm/pg-core";

/** The row's own key: a random uuid. */
export const uuidKey = () => uuid().primaryKey().defaultRandom();

/** A required link to the row this one belongs to; deleted with it. */
export const ownedBy = (parent: () => AnyPgColumn) => uuid().notNull().references(parent, { onDelete: "cascade" });

/** An optional link that turns null when the row it names is deleted (who made it, which review). */
export const refOrNull = (target: () => AnyPgColumn) => uuid().references(target, { onDelete: "set null" });

/** When the row was written (or last changed, for updatedAt), set by the database. */
export const writtenAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
