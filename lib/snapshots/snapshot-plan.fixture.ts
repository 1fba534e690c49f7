// Builders of the import plan's unit tests (snapshot-plan.test.ts, plan-labels.test.ts): prompt "p" as a snapshot holds it and
// as the target project has it, from its versions' templates and its deployments.
import type { Content } from "../registry/content";
import type { SnapshotPrompt } from "./format";
import type { TargetPrompt } from "./snapshot-plan";

export const text = (template: string): Content => ({
  type: "text",
  template,
  variables: [],
  config: {},
  examples: [],
});
export const at = (n: number) => `2026-01-01T00:00:0${n}.000001Z`;
export type Log = [env: string, version: number, n: number][];

export function snapshotPrompt(
  versions: string[],
  log: Log,
  deletedVersions: number[] = [],
  versionLabels: SnapshotPrompt["versionLabels"] = [],
): SnapshotPrompt {
  return {
    archivedVersions: deletedVersions,
    versionLabels,
    name: "p",
    description: "",
    tags: [],
    targetModel: null,
    archivedAt: null,
    createdAt: at(0),
    versions: versions.map((t, i) => ({
      version: i + 1,
      content: text(t),
      commitMessage: "",
      author: "a",
      baseVersion: null,
      createdAt: at(0),
    })),
    deployments: log.map(([environment, version, n]) => ({
      environment,
      version,
      action: "promote",
      actor: "a",
      reason: "",
      at: at(n),
    })),
  };
}

export function target(versions: string[], log: Log): TargetPrompt {
  return {
    id: "id",
    name: "p",
    description: "",
    tags: [],
    targetModel: null,
    archivedAt: null,
    versions: versions.map((t, i) => ({ version: i + 1, content: text(t) })),
    deployments: log.map(([environment, version, n]) => ({ environment, version, action: "promote", at: at(n) })),
  };
}
