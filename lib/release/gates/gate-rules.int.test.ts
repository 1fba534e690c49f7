// Saving an environment's rules must not quietly change its gate: runs count for a gate only when made
// with exactly its scorers on its items, so a save that reset the scorers (or unpinned the dataset
// version) used to void every gate result while every page still showed the old numbers.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../../test/release-fixture";
import * as fixtures from "../../../test/domain-fixtures";
import { seedProject } from "../../../test/domain-fixtures";
import { addItems, createDataset } from "../../evaluation/datasets";
import { recordRun } from "../../evaluation/runs/record-run";
import { defaultScorers } from "../../scorers";
import { createConnection } from "../../llm/connections";
import { getPrompt } from "../../registry/prompts";
import { getEnvironmentRow, updateEnvironment } from "../environments";
import { normalizeGateScorers } from "../../scorers/gate";
import { planFor } from "../plan/plan-facts";
import { projectContext } from "../../context";
import { noEvents } from "../../announcements";

const scorers = [
  { type: "length", name: "concise", unit: "words", max: 20 },
  { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true },
];

withReleaseDatabase("gate-rules");
beforeAll(async () => {
  await fixtures.promptWith(t.db, f, "reply", 1);
  for (const name of ["tickets", "other"]) {
    const ds = await createDataset(f.ctx(f.admin), { name });
    await addItems(
      f.ctx(f.admin),
      ds.id,
      [
        { input: { q: "a" }, tags: [], metadata: {} },
        { input: { q: "b" }, tags: [], metadata: {} },
      ],
      { source: "test" },
    );
  }
});

const staging = () => getEnvironmentRow(t.db, f.projectId, "staging");

async function evaluationStep() {
  const prompt = await getPrompt(t.db, f.projectId, "reply");
  const plan = await planFor(t.db, prompt, await staging(), 1);
  return plan.steps.find((s) => s.id === "evaluation")!;
}

describe("saving an environment's gate", () => {
  it("keeps the gate's scorers and pinned version when a save leaves them out, so a run made with them still counts", async () => {
    const admin = f.ctx(f.admin);
    await updateEnvironment(admin, "staging", {
      evaluationGate: { dataset: "tickets", datasetVersion: 1, minScore: 0.5, maxDrop: 1, scorers },
    });
    await recordRun(
      admin,
      { prompt: "reply", version: 1, dataset: "tickets", scorers, environment: "staging" },
      () => ({
        text: "Thank you, it is fixed.",
      }),
    );
    // The dataset moves on to version 2; the gate stays pinned to the items the run was made on.
    await addItems(admin, "tickets", [{ input: { q: "c" }, tags: [], metadata: {} }], { source: "test" });
    expect(await evaluationStep()).toMatchObject({ met: true, evaluation: { datasetVersion: 1 } });

    // What the settings form and a REST PATCH send when someone only moves the minimum score.
    await updateEnvironment(admin, "staging", {
      evaluationGate: { dataset: "tickets", minScore: 0.9, maxDrop: 0.1 },
    });
    const env = await staging();
    expect(env.gateScorers).toEqual(normalizeGateScorers(scorers));
    expect([env.gateDatasetVersion, env.gateMinScore, env.gateMaxDrop]).toEqual([1, 0.9, 0.1]);
    expect(await evaluationStep()).toMatchObject({ met: true, evaluation: { datasetVersion: 1 } });
  });

  it("unpins with an explicit null, and then the run on the old items no longer counts", async () => {
    await updateEnvironment(f.ctx(f.admin), "staging", {
      evaluationGate: { dataset: "tickets", datasetVersion: null, minScore: 0.9, maxDrop: 0.1 },
    });
    const env = await staging();
    expect(env.gateDatasetVersion).toBeNull();
    expect(env.gateScorers).toEqual(normalizeGateScorers(scorers));
    expect(await evaluationStep()).toMatchObject({ met: false, evaluation: { datasetVersion: 2 } });
  });

  it("gives a new dataset without scorers the default scorers and no pin", async () => {
    await updateEnvironment(f.ctx(f.admin), "staging", {
      evaluationGate: { dataset: "other", minScore: 0.9, maxDrop: 0.1 },
    });
    const env = await staging();
    expect(env.gateScorers).toEqual(normalizeGateScorers(defaultScorers));
    expect(env.gateDatasetVersion).toBeNull();
  });

  it("refuses a pin past the dataset's current version and changes nothing", async () => {
    const before = await staging();
    await expect(
      updateEnvironment(f.ctx(f.admin), "staging", {
        evaluationGate: { dataset: "other", datasetVersion: 9, minScore: 0.5, maxDrop: 1, scorers },
      }),
    ).rejects.toMatchObject({ code: "invalid_input", details: { field: "evaluationGate.datasetVersion" } });
    expect(await staging()).toEqual(before);
  });
});

describe("a gate's scorers name only this project's connections", () => {
  it("refuses another project's connection (or none of this project's), naming the field, and changes nothing", async () => {
    const other = await seedProject(t.db, "gate-rules-other");
    const theirs = await createConnection(
      projectContext(t.db, other.admin, other.projectId, noEvents),
      { name: "Their key", provider: "openai", apiKey: "sk-theirs-0001" },
      randomBytes(32),
    );
    const before = await staging();
    for (const connection of [theirs.id, "Their key", "no-such-connection"]) {
      const judge = { type: "llm_judge", rubric: "Is it polite?", model: "m", connection };
      const err = await fixtures.failure(
        updateEnvironment(f.ctx(f.admin), "staging", {
          evaluationGate: { dataset: "tickets", minScore: 0.5, scorers: [judge] },
        }),
      );
      expect([err.code, err.details?.field]).toEqual(["unprocessable", "evaluationGate.scorers.0.connection"]);
      expect(err.message).toContain(`No model connection ${connection} in this project`);
      expect(await staging()).toEqual(before);
    }
  });
});

describe("which prompts a gate applies to", () => {
  it("a dataset tied to one prompt gates that prompt only; one tied to none gates every prompt", async () => {
    const admin = f.ctx(f.admin);
    await fixtures.promptWith(t.db, f, "summary", 1);
    const tied = await createDataset(admin, { name: "reply-only", prompt: "reply" });
    await addItems(admin, tied.id, [{ input: { q: "a" }, tags: [], metadata: {} }], { source: "test" });
    await updateEnvironment(admin, "development", {
      evaluationGate: { dataset: "reply-only", minScore: 0.5 },
    });
    const stepOf = async (name: string) => {
      const prompt = await getPrompt(t.db, f.projectId, name);
      const plan = await planFor(t.db, prompt, await getEnvironmentRow(t.db, f.projectId, "development"), 1);
      return plan.steps.find((s) => s.id === "evaluation");
    };
    expect(await stepOf("reply")).toMatchObject({ met: false });
    expect(await stepOf("summary")).toBeUndefined();
    // "tickets" is tied to no prompt: it gates both.
    await updateEnvironment(admin, "development", { evaluationGate: { dataset: "tickets", minScore: 0.5 } });
    expect(await stepOf("reply")).toMatchObject({ met: false });
    expect(await stepOf("summary")).toMatchObject({ met: false });
    await updateEnvironment(admin, "development", { evaluationGate: null });
  });
});
