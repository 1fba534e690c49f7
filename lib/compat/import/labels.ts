// What a source's label becomes here — the one place that decides it (docs/decisions/foreign-import-labels.md),
// by the rule every path that reads or writes labels follows (lib/release/version-labels/version-labels.ts): a label that names
// an environment of this project is that environment, moved only through lib/release's promote; any other is a
// version label, an alias of the version without release rules. No environment is created for a label.
import { versionLabelSchema } from "../../release/version-labels/version-labels";
import { latestLabel } from "../../registry/templates/partial-refs";
import type { ForeignSystem } from "./types";

export type LabelPlan =
  /** Lectern's own "latest" (the newest version): nothing to move. */
  | { kind: "latest" }
  | { kind: "environment" }
  | { kind: "version-label" }
  /** Neither: a name no label here can have (`a b`, `Prod`), said in the report. */
  | { kind: "unusable"; reason: string };

export function labelPlan(label: string, environments: ReadonlySet<string>): LabelPlan {
  if (label === latestLabel) return { kind: "latest" };
  if (environments.has(label)) return { kind: "environment" };
  const parsed = versionLabelSchema.safeParse(label);
  if (parsed.success) return { kind: "version-label" };
  return { kind: "unusable", reason: parsed.error.issues[0]!.message };
}

const words: Record<ForeignSystem, string> = {
  promptlayer: "Release label {label} imported from PromptLayer",
  langsmith: "Tag {label} imported from LangSmith",
  pezzo: "Environment {label} imported from Pezzo",
};

/** The reason a promotion records for a label the import moved. */
export const moveReason = (system: ForeignSystem, label: string) => words[system].replace("{label}", label);
