// The registry aggregate: prompts, their immutable versions, and mutable draft copies.
import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, uuidKey, writtenAt } from "./columns";
import { sql } from "drizzle-orm";
import { projects } from "./projects";
import { users } from "./users";
// Types only (erased at build): the column shapes are defined with the code that validates them.
import type { Content } from "../../lib/registry/content";
import type { ContentDiff } from "../../lib/registry/changes/diff";

export const prompts = pgTable(
  "prompts",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    name: text().notNull(),
    description: text().notNull().default(""),
    // The title a prompt file gave it (a .prompt.yml's `name:`) when it was imported under another name; written
    // back as the file's name on export. Null: the file's name is the prompt's.
    displayName: text(),
    ownerId: refOrNull(() => users.id),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    targetModel: text(),
    // The newest version number; bumped under a row lock so numbering has no gaps or duplicates.
    latestVersion: integer().notNull().default(0),
    createdAt: writtenAt(),
    updatedAt: writtenAt(),
    // Set when the prompt is deleted (its last version deleted, lib/registry/deletions.ts): hidden from lists and
    // resolve, never removed, so its versions and deployment log stay answerable. The column keeps its first
    // name, archived_at (docs/glossary.md: "deleted").
    deletedAt: timestamp("archived_at", { withTimezone: true }),
    // A skill's folder name (the last segment of its name), set by a trigger when its first version is written
    // (migration "skills"); null for text and chat prompts. Unique per project: agents install skills by it.
    skillName: text(),
  },
  (t) => [
    unique().on(t.projectId, t.name),
    index().using("gin", t.tags),
    uniqueIndex("prompts_project_skill_name").on(t.projectId, t.skillName),
  ],
);

// Insert-only: a trigger (migration 0001) rejects UPDATE and DELETE.
export const promptVersions = pgTable(
  "prompt_versions",
  {
    id: uuidKey(),
    promptId: uuid()
      .notNull()
      .references(() => prompts.id),
    version: integer().notNull(),
    // {type, template, variables, config, examples} — see lib/registry/content.ts.
    content: jsonb().$type<Content>().notNull(),
    commitMessage: text().notNull().default(""),
    authorId: uuid().references(() => users.id),
    // Who created it when not a signed-in user (an API key's name, "seed", "merge of draft x").
    authorLabel: text().notNull().default(""),
    // The version this one was edited from (null for version 1).
    baseVersion: integer(),
    // Diff from baseVersion (the previous version, unless the edit started from an older one), computed once at creation.
    diff: jsonb().$type<ContentDiff>(),
    createdAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [unique().on(t.promptId, t.version)],
);

// Versions deleted through the Langfuse-compatible API, one row per deletion: hidden from listing and resolve,
// never removed, so the history (and what was live when) stays answerable. Insert-only (trigger in migration
// 0013). The table and its time column keep their first names (docs/glossary.md: "deleted").
export const promptVersionDeletions = pgTable(
  "prompt_version_archives",
  {
    promptId: uuid().notNull(),
    version: integer().notNull(),
    deletedAt: timestamp("archived_at", { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
    actorId: uuid().references(() => users.id),
    actorLabel: text().notNull().default(""),
    reason: text().notNull().default(""),
  },
  (t) => [
    primaryKey({ columns: [t.promptId, t.version] }),
    foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
  ],
);

// The partials each version includes, one row per distinct reference (`{{> tone}}`, `{{> tone|label=prod}}`),
// so "who includes tone" is an index lookup, not a scan of every version's text (lib/release/dependents.ts).
// Written by a trigger on prompt_versions from the content itself (migration 0041), on every path that
// inserts versions; insert-only like the versions it derives from.
export const promptVersionPartialRefs = pgTable(
  "prompt_version_partial_refs",
  {
    // The including prompt's project, so the reverse lookup stays within one project's rows.
    projectId: uuid()
      .notNull()
      .references(() => projects.id),
    promptId: uuid().notNull(),
    version: integer().notNull(),
    // The reference as written inside {{> …}}, trimmed: the key the partial graph uses.
    ref: text().notNull(),
    // The included prompt's name (the reference up to '|').
    refName: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.promptId, t.version, t.ref] }),
    foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
    index().on(t.projectId, t.refName, t.promptId),
  ],
);

// Draft copies: mutable, owned by one user, merged back as a new version.
export const drafts = pgTable(
  "drafts",
  {
    id: uuidKey(),
    promptId: ownedBy(() => prompts.id),
    name: text().notNull(),
    ownerId: refOrNull(() => users.id),
    baseVersion: integer().notNull(),
    content: jsonb().$type<Content>().notNull(),
    mergedVersion: integer(),
    createdAt: writtenAt(),
    updatedAt: writtenAt(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.promptId)],
);
