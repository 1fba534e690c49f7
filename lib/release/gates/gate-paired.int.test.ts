// A paired gate (evaluationGate.mode "paired" or "both") refuses a version that is significantly worse
// than the live version on any gate scorer, item by item on the same items, instead of (or besides) a
// fixed minimum score. The same plan decides the release plan's step, the gate status and promote.
import { beforeAll, describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../../test/release-fixture";
import * as fixtures from "../../../test/domain-fixtures";
import { failure } from "../../../test/domain-fixtures";
import { addItems, createDataset } from "../../evaluation/datasets";
import { compareEvalRuns } from "../../evaluation/runs/compare-runs";
import { recordRun } from "../../evaluation/runs/record-run";
import { getPrompt } from "../../registry/prompts";
import { getEnvironmentRow, updateEnvironment } from "../environments";
import { gateStatus } from "./gate-status";
import { planFor } from "../plan/plan-facts";
import { promoteVersion } from "../promote";

// "thanks" passes when the reply thanks the customer; "concise" when it is at most 12 words.
const scorers = [
  { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true },
  { type: "length", name: "concise", unit: "words", max: 12 },
];
const ITEMS = 40;
const polite = () => ({ text: "Thank you, it is fixed." });
// Drops the thanks on 15 of 40 items: still 81% overall, above a 0.5 minimum, but a clear paired loss.
const curt = (item: { position: number }) => ({ text: item.position % 8 < 3 ? "Fixed." : "Thank you, fixed." });

withReleaseDatabase("gate-paired");
beforeAll(async () => {
  await fixtures.promptWith(t.db, f, "reply", 4);
  const ds = await createDataset(f.ctx(f.admin), { name: "tickets" });
  await addItems(
    f.ctx(f.admin),
    ds.id,
    Array.from({ length: ITEMS }, (_, i) => ({ input: { q: `ticket ${i}` }, tags: [], metadata: {} })),
    { source: "test" },
  );
  await promoteVersion(f.ctx(f.editor), "reply", { environment: "development", version: 1 });
});

const gate = (mode: "threshold" | "paired" | "both", minScore?: number) =>
  updateEnvironment(f.ctx(f.admin), "development", {
    evaluationGate: { dataset: "tickets", mode, ...(minScore === undefined ? {} : { minScore }), maxDrop: 1, scorers },
  });
const record = (version: number, output: (item: { position: number }) => { text: string }) =>
  recordRun(
    f.ctx(f.admin),
    { prompt: "reply", version, dataset: "tickets", scorers, environment: "development" },
    output,
  );

async function step(version: number) {
  const prompt = await getPrompt(t.db, f.projectId, "reply");
  const plan = await planFor(t.db, prompt, await getEnvironmentRow(t.db, f.projectId, "development"), version);
  return plan.steps.find((s) => s.id === "evaluation")!;
}

describe("a paired gate", () => {
  it("keeps the stored mode when a save leaves it out, and needs no minimum (0) in paired mode", async () => {
    await gate("paired");
    expect(await getEnvironmentRow(t.db, f.projectId, "development")).toMatchObject({
      gateMode: "paired",
      gateMinScore: 0,
    });
    await updateEnvironment(f.ctx(f.admin), "development", {
      evaluationGate: { dataset: "tickets", maxDrop: 1 },
    });
    expect((await getEnvironmentRow(t.db, f.projectId, "development")).gateMode).toBe("paired");
  });

  it("refuses a threshold gate without a minimum, naming the field, and changes nothing", async () => {
    const before = await getEnvironmentRow(t.db, f.projectId, "development");
    for (const [env, mode] of [
      ["development", "threshold"],
      ["staging", undefined], // a threshold gate kept by omitting mode
    ] as const) {
      const e = await failure(
        updateEnvironment(f.ctx(f.admin), env, {
          evaluationGate: { dataset: "tickets", ...(mode ? { mode } : {}), maxDrop: 1 },
        }),
      );
      expect(e.code).toBe("invalid_input");
      expect(e.message).toBe("evaluationGate.minScore is required unless mode is paired");
      expect(e.details).toMatchObject({ field: "evaluationGate.minScore" });
    }
    expect(await getEnvironmentRow(t.db, f.projectId, "development")).toEqual(before);
  });

  it("asks for a run of the live version when only the candidate has one", async () => {
    await record(2, curt);
    const s = await step(2);
    expect(s.met).toBe(false);
    expect(s.action).toMatchObject({ kind: "run_evaluation", version: 1 });
    expect(s.detail).toMatch(/needs a completed run of live version 1/);
    // The gate status lists the live version as the one missing a run.
    const [status] = await gateStatus(t.db, f.projectId);
    expect(status!.versions.find((v) => v.version === 1)).toMatchObject({ state: "missing" });
  });

  it("refuses a version significantly worse than live on a gate scorer, in words, on every path", async () => {
    await record(1, polite);
    const s = await step(2);
    expect(s.met).toBe(false);
    expect(s.evaluation!.mode).toBe("paired");
    const thanks = s.evaluation!.paired!.scorers.find((x) => x.name === "thanks")!;
    expect(thanks).toMatchObject({ n: ITEMS, direction: "worse" });
    expect(thanks.meanDiff).toBeCloseTo(-15 / 40, 12);
    expect(s.detail).toMatch(
      /^Version 2 scores clearly lower than live version 1 on the same items: on thanks by 37\.5 points \[\d+\.\d, \d+\.\d\], p = [\d.e-]+ \(40 items; paired t test, Holm-adjusted\)\.$/,
    );
    const e = await failure(promoteVersion(f.ctx(f.editor), "reply", { environment: "development", version: 2 }));
    expect(e.code).toBe("gate_failed");
    expect(await fixtures.liveVersion(t.db, f, "reply", "development")).toBe(1);
  });

  it("lets through a version no worse than live, without a minimum score", async () => {
    await record(3, polite);
    const s = await step(3);
    expect(s).toMatchObject({ met: true, evaluation: { mode: "paired" } });
    expect(s.detail).toContain(
      "Item by item, no gate scorer is clearly lower than live version 1 (40 items; paired t test).",
    );
    await promoteVersion(f.ctx(f.editor), "reply", { environment: "development", version: 3 });
    expect(await fixtures.liveVersion(t.db, f, "reply", "development")).toBe(3);
  });

  it("threshold mode passes the same worse version that paired mode refuses; both refuses it", async () => {
    await record(4, curt);
    await gate("threshold", 0.5);
    expect(await step(4)).toMatchObject({ met: true, evaluation: { mode: "threshold", paired: null } });
    await gate("both", 0.5);
    const s = await step(4);
    expect(s).toMatchObject({ met: false, evaluation: { mode: "both" } });
    expect(s.detail).toMatch(/clearly lower than live version 3 on the same items: on thanks/);
  });
});

describe("comparing two runs", () => {
  it("is paired per scorer, with a verdict, and each run's interval and pass@k", async () => {
    const runs = await t.db.query.evalRuns.findMany({ where: (r, { eq }) => eq(r.projectId, f.projectId) });
    const a = runs.find((r) => r.version === 3)!;
    const b = runs.find((r) => r.version === 4)!;
    const cmp = await compareEvalRuns(t.db, f.projectId, { a: a.id, b: b.id });
    expect(cmp.paired).toMatchObject({ items: ITEMS, alpha: 0.05 });
    const thanks = cmp.scorers.find((s) => s.name === "thanks")!;
    expect(thanks.paired).toMatchObject({ n: ITEMS, significant: true, direction: "worse" });
    expect(thanks.paired.tPValue).toBeLessThan(0.001);
    expect(thanks.paired.wilcoxonPValue).toBeLessThan(0.001);
    expect(thanks.paired.adjustedPValue).toBeGreaterThanOrEqual(thanks.paired.tPValue!);
    expect(cmp.scorers.find((s) => s.name === "concise")!.paired).toMatchObject({ meanDiff: 0, significant: false });
    expect(cmp.verdict).toMatch(
      /^v4 is worse than v3 on thanks by 37\.5 points \[\d+\.\d, \d+\.\d\] \(40 items, paired t, Holm-adjusted\)\.$/,
    );
    expect(cmp.a.statistics).toMatchObject({ unit: "item", items: ITEMS, repetitions: 1, score: 1, passAtK: 1 });
    expect(cmp.b.statistics!.ci![0]).toBeLessThan(cmp.b.statistics!.score!);
    expect(cmp.b.statistics!.passHatK).toBeCloseTo(25 / 40, 12);
  });
});
