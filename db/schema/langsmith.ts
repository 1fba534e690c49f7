// The LangSmith-compatible surface's own record: repos LangSmith's clients created (createPrompt, the first step
// of pushPrompt and hub.push) that have no commit yet. Lectern has no prompt without a version, so the name
// waits here, reserved for this project, until its first commit creates the prompt (with this description and
// these tags) and removes the row in the same transaction (lib/compat/langsmith/push.ts).
import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { ownedBy, writtenAt } from "./columns";
import { projects } from "./projects";

export const langsmithRepos = pgTable(
  "langsmith_repos",
  {
    projectId: ownedBy(() => projects.id),
    /** The Lectern name the repo handle stands for (a folder's '/' written '--' in the handle). */
    name: text().notNull(),
    description: text().notNull().default(""),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: writtenAt(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.name] })],
);
