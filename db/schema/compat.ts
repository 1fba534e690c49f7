// The Langfuse-compatible surface's own record: environments that exist because a Langfuse client (or
// the importer) used a label no environment had. They start without rules; Settings says where they
// came from, so nobody wonders who created "experimental".
import { pgTable, text, uuid } from "drizzle-orm/pg-core";
import { ownedBy, writtenAt } from "./columns";
import { projects } from "./projects";
import { environments } from "./releases";

export const labelEnvironments = pgTable("label_environments", {
  environmentId: uuid()
    .primaryKey()
    .references(() => environments.id, { onDelete: "cascade" }),
  projectId: ownedBy(() => projects.id),
  /** "langfuse-api": a label set by a Langfuse client; "langfuse-import": a label met by `lectern import langfuse`. */
  source: text().notNull(),
  createdAt: writtenAt(),
});
