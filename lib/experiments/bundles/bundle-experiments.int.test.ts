// Bundle releases as an experiment's arms (docs/decisions/bundles.md): one experiment per member the arms change, with
// one seed, so a subject is in one arm of every member (through the bundle's resolve and each prompt's); starting,
// reweighting and stopping any member moves them all; shipping an arm is one bundle release.
import { describe, expect, it } from "vitest";
import * as fixtures from "../../../test/domain-fixtures";
import { bundleSides, f, servedPrompt, t, withExperimentsDatabase } from "../../../test/experiments-fixture";
import { bundleReleasesIn, createBundle, getBundleRow } from "../../release/bundles/bundles";
import { getEnvironmentRow } from "../../release/environments";
import { resolveBundle } from "../../runtime/bundle-resolve";
import { createBundleExperiment, listBundleExperiments } from "./bundle-experiments";
import { setExperimentWeights, startExperiment, stopExperiment } from "../lifecycle";
import { getExperiment } from "../store";

withExperimentsDatabase("bundle-experiments");
const subjects = Array.from({ length: 1000 }, (_, i) => `s-${i}`);
const definition = { name: "Shorter plan", primaryMetric: { name: "thumbs", kind: "binary" }, mode: "sequential" };

async function duo(name: string) {
  for (const m of ["a", "b", "c"]) await servedPrompt(`${name}/${m}`, 2);
  await createBundle(f.ctx(f.editor), { name, prompts: [`${name}/a`, `${name}/b`, `${name}/c`] });
  return [
    { key: "A", weight: 0.5, versions: { [`${name}/a`]: 1, [`${name}/b`]: 1, [`${name}/c`]: 1 } },
    { key: "B", weight: 0.5, versions: { [`${name}/a`]: 2, [`${name}/b`]: 2, [`${name}/c`]: 1 } },
  ];
}

/** Each subject's versions of a and b through each prompt's resolve; a sample checked against the bundle's. */
const sides = (name: string) =>
  bundleSides(name, [`${name}/a`, `${name}/b`], subjects, 30, (r, versions) =>
    expect(r.experiment?.variant).toBe(versions[0] === 2 ? "B" : "A"),
  );
const shareOnB = (m: Map<string, number[]>) => [...m.values()].filter((v) => v[0] === 2).length / m.size;

describe("a bundle's experiment", () => {
  it("splits every changed member the same way, moves as one, and ships an arm as one bundle release", async () => {
    const arms = await duo("duo");
    const x = await createBundleExperiment(f.ctx(f.approver), "duo", { environment: "staging", arms, ...definition });
    expect(x).toMatchObject({ bundle: "duo", status: "draft" });
    expect(x.members.map((m) => m.prompt)).toEqual(["duo/a", "duo/b"]);
    expect(x.arms[1]).toEqual({ key: "B", weight: 0.5, versions: { "duo/a": 2, "duo/b": 2 } });
    const [a, b] = x.members.map((m) => m.experiment);
    await startExperiment(f.ctx(f.approver), b!);
    expect((await getExperiment(t.db, f.projectId, a!)).status).toBe("running");
    const first = await sides("duo");
    for (const [, [va, vb]] of first) expect(va).toBe(vb);
    expect(shareOnB(first)).toBeGreaterThan(0.44);
    expect(shareOnB(first)).toBeLessThan(0.56);
    await setExperimentWeights(f.ctx(f.approver), a!, { weights: { A: 0.2, B: 0.8 }, reason: "more on B" });
    expect((await getExperiment(t.db, f.projectId, b!)).phase).toBe(2);
    const second = await sides("duo");
    for (const [, [va, vb]] of second) expect(va).toBe(vb);
    expect(shareOnB(second)).toBeGreaterThan(0.74);
    expect(shareOnB(second)).toBeLessThan(0.86);
    await stopExperiment(f.ctx(f.approver), a!, { decision: { ship: "B" }, reason: "B reads better" });
    for (const id of [a!, b!])
      expect(await getExperiment(t.db, f.projectId, id)).toMatchObject({ status: "stopped", decision: { ship: "B" } });
    const bundle = await getBundleRow(t.db, f.projectId, "duo");
    const releases = await bundleReleasesIn(
      t.db,
      bundle.id,
      (await getEnvironmentRow(t.db, f.projectId, "staging")).id,
    );
    expect(releases.map((r) => r.versions)).toEqual([{ "duo/a": 2, "duo/b": 2, "duo/c": 1 }]);
    const after = await resolveBundle(t.db, f.projectId, "duo", "staging", { subject: "s-1" });
    expect([after.experiment, Object.values(after.prompts).map((p) => p.version)]).toEqual([null, [2, 2, 1]]);
    const [listed] = await listBundleExperiments(t.db, f.projectId, "duo");
    expect(listed).toMatchObject({ id: x.id, status: "stopped" });
  });

  it("keeping the control from one member ends every member's split and releases nothing", async () => {
    const arms = await duo("keep");
    const x = await createBundleExperiment(f.ctx(f.approver), "keep", { environment: "staging", arms, ...definition });
    await startExperiment(f.ctx(f.approver), x.members[0]!.experiment);
    await stopExperiment(f.ctx(f.approver), x.members[1]!.experiment, { decision: { keep: "control" }, reason: "no" });
    for (const m of x.members) expect((await getExperiment(t.db, f.projectId, m.experiment)).status).toBe("stopped");
    const bundle = await getBundleRow(t.db, f.projectId, "keep");
    expect(await bundleReleasesIn(t.db, bundle.id, (await getEnvironmentRow(t.db, f.projectId, "staging")).id)).toEqual(
      [],
    );
    const r = await resolveBundle(t.db, f.projectId, "keep", "staging", { subject: "s-1" });
    expect(Object.values(r.prompts).map((p) => p.version)).toEqual([1, 1, 1]);
  });

  it("refuses bad input naming the field, and writes nothing", async () => {
    const arms = await duo("bad");
    const create = (extra: Record<string, unknown>) =>
      fixtures.failure(
        createBundleExperiment(f.ctx(f.approver), "bad", { environment: "staging", arms, ...definition, ...extra }),
      );
    expect((await create({ mode: "bandit" })).details?.field).toBe("mode");
    expect((await create({ namespace: { name: "n", range: [0, 0.5] } })).details?.field).toBe("namespace");
    const same = await create({ arms: [arms[0], { ...arms[0], key: "B" }] });
    expect([same.code, same.details?.field]).toEqual(["unprocessable", "arms"]);
    const partial = await create({ arms: [arms[0], { key: "B", weight: 0.5, versions: { "bad/a": 2 } }] });
    expect([partial.code, partial.details?.field]).toEqual(["invalid_input", "arms.1.versions"]);
    const noMetric = await create({ primaryMetric: undefined });
    expect(noMetric.message).toMatch(/^bad\/a: /);
    expect(await listBundleExperiments(t.db, f.projectId, "bad")).toEqual([]);
  });
});
