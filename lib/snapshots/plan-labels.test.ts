// The import plan for version labels (snapshot-plan.ts): the snapshot's labels are set where the target differs,
// none is removed, and a prompt deleted in the snapshot takes none.
import { describe, expect, it } from "vitest";
import type { ProjectSnapshot, SnapshotPrompt } from "./format";
import { planImport, planSummary, type TargetPrompt } from "./snapshot-plan";
import { at, snapshotPrompt, target as targetPrompt } from "./snapshot-plan.fixture";

const snap = (versionLabels: SnapshotPrompt["versionLabels"], archivedAt: string | null = null) =>
  ({
    format: "lectern.project/1",
    environments: [],
    datasets: [],
    bundles: [],
    prompts: [{ ...snapshotPrompt(["t", "t"], [], [], versionLabels), archivedAt }],
  }) as ProjectSnapshot;

const target = (versionLabels: TargetPrompt["versionLabels"]) => ({
  environments: [],
  bundles: [],
  prompts: new Map<string, TargetPrompt>([["p", { ...targetPrompt(["t", "t"], []), versionLabels }]]),
});

const labelsPlanned = (t: TargetPrompt["versionLabels"], s: ProjectSnapshot) =>
  planImport(target(t), s).prompts[0]!.labels;

describe("version labels in the import plan", () => {
  const v12 = { label: "v1.2", version: 2 };

  it("sets the snapshot's labels where the target lacks them or points them elsewhere", () => {
    expect(labelsPlanned([], snap([v12]))).toEqual([v12]);
    expect(labelsPlanned([{ label: "v1.2", version: 1 }], snap([v12]))).toEqual([v12]);
    expect(planSummary(planImport(target([]), snap([v12])), false).prompts.updated[0]).toMatchObject({
      versionLabels: { "v1.2": 2 },
    });
  });

  it("removes none, changes nothing when they agree, and sets none on a deleted prompt", () => {
    expect(labelsPlanned([v12, { label: "mine", version: 1 }], snap([v12]))).toEqual([]);
    expect(planSummary(planImport(target([v12]), snap([v12])), false).changed).toBe(false);
    expect(labelsPlanned([], snap([v12], at(0)))).toEqual([]);
  });
});
