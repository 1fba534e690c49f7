// Versions copied from another system by `lectern import promptlayer|langsmith|pezzo` (lib/compat/import), each
// with its id there (a version number, a commit hash, a sha): a second import finds it here and creates
// nothing. Versions are immutable, so the link lives beside them; insert-only like them (trigger in the
// migration that adds it).
import { foreignKey, integer, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { ownedBy, writtenAt } from "./columns";
import { projects } from "./projects";
import { promptVersions } from "./prompts";

export const importedVersions = pgTable(
  "imported_versions",
  {
    projectId: ownedBy(() => projects.id),
    promptId: uuid().notNull(),
    version: integer().notNull(),
    /** "promptlayer", "langsmith", "pezzo". */
    system: text().notNull(),
    /** Where it came from: the source's base URL or database host, as the import names it. */
    source: text().notNull(),
    /** The version's stable id in the source. */
    sourceId: text().notNull(),
    createdAt: writtenAt(),
  },
  (t) => [
    primaryKey({ columns: [t.promptId, t.version] }),
    unique("imported_versions_source").on(t.promptId, t.system, t.source, t.sourceId),
    foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
  ],
);
