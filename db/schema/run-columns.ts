// Column groups of the jobs that run one prompt version over one dataset version (evaluation runs in
// evaluation.ts, optimizations in optimizations.ts): what they run, and who started them when.
import { type AnyPgColumn, foreignKey, integer, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, writtenAt } from "./columns";
import { projects } from "./projects";
import { promptVersions, prompts } from "./prompts";
import { users } from "./users";

/** The project, the prompt version the job runs and the dataset version it runs on (keyed by versionOnDatasetKeys). */
export const versionOnDataset = () => ({
  projectId: ownedBy(() => projects.id),
  promptId: ownedBy(() => prompts.id),
  version: integer().notNull(),
  datasetId: uuid().notNull(),
  datasetVersion: integer().notNull(),
});

type VersionOnDataset = Record<keyof ReturnType<typeof versionOnDataset>, AnyPgColumn>;

/**
 * versionOnDataset's foreign keys: the prompt version must exist; the job is deleted with its dataset version
 * (`datasetVersions`: evaluation.ts's table, passed in as that file defines it).
 */
export const versionOnDatasetKeys = (
  t: VersionOnDataset,
  datasetVersions: { datasetId: AnyPgColumn; version: AnyPgColumn },
) => [
  foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
  foreignKey({
    columns: [t.datasetId, t.datasetVersion],
    foreignColumns: [datasetVersions.datasetId, datasetVersions.version],
  }).onDelete("cascade"),
];

/** Who started the job (their label kept after they are gone), and when it was made, started and finished. */
export const jobTimes = () => ({
  createdBy: refOrNull(() => users.id),
  createdByLabel: text().notNull().default(""),
  createdAt: writtenAt(),
  startedAt: timestamp({ withTimezone: true }),
  finishedAt: timestamp({ withTimezone: true }),
});
