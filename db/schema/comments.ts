// Comments on prompt versions, optionally in a review's discussion, with the members they mention.
import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, uuidKey, writtenAt } from "./columns";
import { projects } from "./projects";
import { promptVersions, prompts } from "./prompts";
import { reviewRequests } from "./releases";
import { users } from "./users";

export const versionComments = pgTable(
  "version_comments",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    promptId: ownedBy(() => prompts.id),
    version: integer().notNull(),
    reviewId: refOrNull(() => reviewRequests.id),
    authorId: refOrNull(() => users.id),
    authorLabel: text().notNull(),
    body: text().notNull(),
    // The members mentioned (@name), resolved when the comment was written.
    mentions: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: writtenAt(),
  },
  (t) => [
    foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
    index().on(t.promptId, t.version, t.createdAt),
    index().on(t.reviewId),
    check("version_comments_body", sql`length(${t.body}) between 1 and 4000`),
  ],
);
