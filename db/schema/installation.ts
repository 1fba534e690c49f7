// One row per database: this installation's identity. Everything an installation keeps in a shared
// Redis is namespaced by it, so two installations on one Redis (staging and production, say) never
// read each other's cache entries or invalidations (a key valid in one is not thereby valid in the other).
import { sql } from "drizzle-orm";
import { boolean, check, pgTable } from "drizzle-orm/pg-core";
import { uuidKey, writtenAt } from "./columns";

export const installation = pgTable(
  "installation",
  {
    id: uuidKey(),
    one: boolean().notNull().default(true).unique(),
    createdAt: writtenAt(),
  },
  (t) => [check("installation_single_row", sql`${t.one}`)],
);
