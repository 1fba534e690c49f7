// What a source's label becomes here — the one place that decides it (docs/decisions/foreign-import-labels.md).
// As `lectern import langfuse` does: a label that can name an environment is one (an existing environment of
// that name, or one created for it, without rules, recorded as the import's), moved only through lib/release's
// promote. A label no environment can be named (`v1.2`) is a version label: an alias of the version, no rules.
import { environmentNameSchema } from "../../release/environments";
import { latestLabel } from "../../registry/partial-refs";

export type LabelPlan =
  /** Lectern's own "latest" (the newest version): nothing to move. */
  { kind: "latest" } | { kind: "environment"; environment: string } | { kind: "version-label"; label: string };

export function labelPlan(label: string): LabelPlan {
  if (label === latestLabel) return { kind: "latest" };
  if (environmentNameSchema.safeParse(label).success) return { kind: "environment", environment: label };
  return { kind: "version-label", label };
}

/**
 * Why a version label is not kept yet. TODO(version labels): once lib/release/version-labels.ts has
 * setVersionLabel, plan these as moves and apply them with it in the prompt's transaction (apply.ts), and drop
 * this note.
 */
export const versionLabelNotKept = (label: string, sourceId: string) =>
  `label ${label} (on version ${sourceId}): version label not kept — it cannot name an environment (1–36 lowercase letters, digits, '-' or '_') and this Lectern keeps no other labels yet`;
