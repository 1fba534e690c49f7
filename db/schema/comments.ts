// Comments on prompt versions, optionally in a review's discussion, with the members they mention.
import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { promptVersions, prompts } from "./prompts";
import { reviewRequests } from "./releases";
import { users } from "./users";

export const versionComments = pgTable(
  "version_comments",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    promptId: uuid()
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    reviewId: uuid().references(() => reviewRequests.id, { onDelete: "set null" }),
    authorId: uuid().references(() => users.id, { onDelete: "set null" }),
    authorLabel: text().notNull(),
    body: text().notNull(),
    // The members mentioned (@name), resolved when the comment was written.
    mentions: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
    index().on(t.promptId, t.version, t.createdAt),
    index().on(t.reviewId),
    check("version_comments_body", sql`length(${t.body}) between 1 and 4000`),
  ],
);
