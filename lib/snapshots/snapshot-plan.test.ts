import { describe, expect, it } from "vitest";
import type { ProjectSnapshot, SnapshotPrompt } from "./format";
import { snapshotPrompt, target, type Log } from "./snapshot-plan.fixture";
import { normaliseInstant } from "./format";
import { planImport, planSummary, type TargetPrompt } from "./snapshot-plan";

const envs = [
  {
    name: "prod",
    position: 0,
    protected: false,
    requiresReview: false,
    requiresLiveIn: null,
    evaluationGate: null,
    autoPromote: null,
    requiresShadow: null,
    guardedRollout: null,
  },
];
const plan = (t: TargetPrompt | undefined, s: SnapshotPrompt) =>
  planImport(
    { environments: envs, prompts: new Map(t ? [["p", t]] : []), bundles: [] },
    { format: "lectern.project/1", environments: envs, prompts: [s], datasets: [], bundles: [] },
  );

describe("planImport", () => {
  it.each<
    [
      string,
      string[],
      Log,
      string[],
      Log,
      { versions: number[]; deployments: number; ahead: [number | null, string[]]; conflicts: string[] },
    ]
  >([
    [
      "identical",
      ["a", "b"],
      [["prod", 1, 1]],
      ["a", "b"],
      [["prod", 1, 1]],
      { versions: [], deployments: 0, ahead: [null, []], conflicts: [] },
    ],
    [
      "snapshot ahead",
      ["a"],
      [["prod", 1, 1]],
      ["a", "b"],
      [
        ["prod", 1, 1],
        ["prod", 2, 2],
      ],
      { versions: [2], deployments: 1, ahead: [null, []], conflicts: [] },
    ],
    [
      "target ahead",
      ["a", "b"],
      [
        ["prod", 1, 1],
        ["prod", 2, 2],
      ],
      ["a"],
      [["prod", 1, 1]],
      { versions: [], deployments: 0, ahead: [2, ["prod"]], conflicts: [] },
    ],
    [
      "empty target log",
      ["a"],
      [],
      ["a"],
      [["prod", 1, 1]],
      { versions: [], deployments: 1, ahead: [null, []], conflicts: [] },
    ],
    [
      "content diverged",
      ["a", "x"],
      [],
      ["a", "b"],
      [],
      { versions: [], deployments: 0, ahead: [null, []], conflicts: ["version 2"] },
    ],
    [
      "logs forked",
      ["a", "b"],
      [
        ["prod", 1, 1],
        ["prod", 2, 3],
      ],
      ["a", "b"],
      [
        ["prod", 1, 1],
        ["prod", 2, 2],
      ],
      { versions: [], deployments: 0, ahead: [null, []], conflicts: ["deployments prod"] },
    ],
    [
      "same version, other instant",
      ["a"],
      [["prod", 1, 1]],
      ["a"],
      [["prod", 1, 2]],
      { versions: [], deployments: 0, ahead: [null, []], conflicts: ["deployments prod"] },
    ],
  ])("%s", (_name, tv, tl, sv, sl, expected) => {
    const p = plan(target(tv, tl), snapshotPrompt(sv, sl));
    const only = p.prompts[0]!;
    expect(only.versions.map((v) => v.version)).toEqual(expected.versions);
    expect([...only.deployments.values()].flat()).toHaveLength(expected.deployments);
    expect([only.ahead.versions, only.ahead.environments]).toEqual(expected.ahead);
    expect(
      p.conflicts.map((c) => (c.kind === "version" ? `version ${c.version}` : `deployments ${c.environment}`)),
    ).toEqual(expected.conflicts);
  });

  it("creates a prompt the target lacks with all its history", () => {
    const p = plan(
      undefined,
      snapshotPrompt(
        ["a", "b"],
        [
          ["prod", 1, 1],
          ["prod", 2, 2],
        ],
      ),
    );
    expect(planSummary(p, false)).toMatchObject({
      changed: true,
      prompts: { created: ["p"], updated: [] },
      totals: { versions: 2, deployments: 2 },
    });
  });

  it("treats prompt details and environment rules as settings the snapshot sets", () => {
    const t = { ...target(["a"], []), description: "old", tags: ["x"] };
    const s = { ...snapshotPrompt(["a"], []), description: "new", tags: ["x"] };
    const p = planImport({ environments: envs, prompts: new Map([["p", t]]), bundles: [] }, {
      format: "lectern.project/1",
      environments: [{ ...envs[0]!, protected: true }],
      prompts: [s],
      datasets: [],
      bundles: [],
    } satisfies ProjectSnapshot);
    expect(planSummary(p, false)).toMatchObject({
      changed: true,
      environments: { updated: [{ name: "prod", fields: ["protected"] }] },
      prompts: { updated: [{ name: "p", details: ["description"] }] },
    });
  });
});

describe("normaliseInstant", () => {
  it.each([
    ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000000Z"],
    ["2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00.500000Z"],
    ["2026-01-01T00:00:00.123456Z", "2026-01-01T00:00:00.123456Z"],
  ])("%s → %s", (input, output) => expect(normaliseInstant(input)).toBe(output));
});

describe("deleted versions", () => {
  it("a deletion the target lacks is added; one it has is not repeated; none is undone", () => {
    const snap = (deleted: number[]) =>
      ({
        format: "lectern.project/1",
        environments: envs,
        prompts: [snapshotPrompt(["a", "b"], [], deleted)],
        datasets: [],
        bundles: [],
      }) as ProjectSnapshot;
    const t = (deleted: number[]) => ({
      environments: envs,
      prompts: new Map([["p", { ...target(["a", "b"], []), archivedVersions: deleted }]]),
      bundles: [],
    });
    expect(planImport(t([]), snap([2])).prompts[0]!.toDelete).toEqual([2]);
    expect(planImport(t([2]), snap([2])).prompts[0]!.toDelete).toEqual([]);
    expect(planImport(t([1]), snap([])).prompts[0]!.toDelete).toEqual([]);
    expect(planSummary(planImport(t([]), snap([2])), false).prompts.updated[0]).toMatchObject({ archived: [2] });
  });
});

describe("bundles", () => {
  const agent = { name: "agent", description: "the agent", prompts: ["p", "q"] };
  const withBundles = (bundles: ProjectSnapshot["bundles"], prompts = ["p"]) =>
    ({
      format: "lectern.project/2",
      environments: envs,
      prompts: prompts.map((name) => ({ ...snapshotPrompt(["a"], []), name })),
      datasets: [],
      bundles,
    }) as ProjectSnapshot;
  const targetWith = (bundles: ProjectSnapshot["bundles"], prompts = ["q"]) => ({
    environments: envs,
    prompts: new Map(prompts.map((name) => [name, { ...target(["a"], []), name }])),
    bundles,
  });

  it("creates a bundle the target lacks, its members from the snapshot or the target", () => {
    const p = planImport(targetWith([]), withBundles([agent]));
    expect(p.bundles).toEqual({ create: [agent], update: [], missing: [] });
    expect(planSummary(p, true)).toMatchObject({ changed: true, bundles: { created: ["agent"], updated: [] } });
  });

  it.each<[string, ProjectSnapshot["bundles"][number], string[]]>([
    ["members", { ...agent, prompts: ["q", "p"] }, ["prompts"]],
    ["description", { ...agent, description: "new" }, ["description"]],
    ["both", { ...agent, description: "new", prompts: ["p"] }, ["description", "prompts"]],
  ])("takes the snapshot's %s for a bundle the target has", (_what, theirs, fields) => {
    const p = planImport(targetWith([agent], ["p", "q"]), withBundles([theirs]));
    expect(p.bundles.update).toEqual([{ name: "agent", fields, before: agent, after: theirs }]);
    expect(planSummary(p, false).bundles).toEqual({ created: [], updated: [{ name: "agent", fields }] });
  });

  it("changes nothing for a bundle that is the same, and keeps one only the target has", () => {
    const other = { name: "other", description: "", prompts: ["q"] };
    const p = planImport(targetWith([agent, other], ["p", "q"]), withBundles([agent], ["p", "q"]));
    expect(p.bundles).toEqual({ create: [], update: [], missing: [] });
    expect(planSummary(p, false)).toMatchObject({ bundles: { created: [], updated: [] } });
  });

  it("lists every member that is neither in the snapshot nor in the target", () => {
    const p = planImport(targetWith([]), withBundles([{ ...agent, prompts: ["p", "nope", "q", "gone"] }]));
    expect(p.bundles.missing).toEqual([
      { bundle: "agent", prompt: "nope", field: "bundles[0].prompts[1]" },
      { bundle: "agent", prompt: "gone", field: "bundles[0].prompts[3]" },
    ]);
  });
});
