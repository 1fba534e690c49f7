// The smaller page read models: what each decides from the URL, and null (a 404) for what does not exist.
import { beforeAll, describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { promptWith } from "../../test/domain-fixtures";
import type { PromptRow } from "../registry/prompts";
import { createDraft } from "../release/drafts/drafts";
import { promoteVersion } from "../release/promote";
import { activityOverview } from "./activity-overview";
import { compareOverview } from "./compare-overview";
import { datasetOverview } from "./dataset-overview";
import { diffOverview } from "./diff-overview";
import { draftOverview, editOverview } from "./editor-overview";
import { experimentOverview } from "./experiment-overview";
import { newExperimentOverview } from "./new-experiment-overview";
import { runOverview } from "./run-overview";
import { runsOverview } from "./runs-overview";

let prompt: PromptRow;
const missing = "00000000-0000-4000-8000-000000000000";

withReleaseDatabase("page-views");
beforeAll(async () => {
  prompt = await promptWith(t.db, f, "support/reply", 3);
  await promptWith(t.db, f, "other", 1);
});

describe("page read models", () => {
  it("compares the versions asked for, else the latest with the one before", async () => {
    expect(await diffOverview(t.db, prompt, {})).toMatchObject({ from: 2, to: 3 });
    expect(await diffOverview(t.db, prompt, { from: "1", to: "3" })).toMatchObject({ from: 1, to: 3 });
    const backwards = await diffOverview(t.db, prompt, { from: "3", to: "1" });
    expect([backwards.from, backwards.to, backwards.breaking]).toEqual([3, 1, null]);
    expect((await diffOverview(t.db, prompt, { to: "9" })).to).toBe(3);
  });

  it("edits from the version asked for (?version=, or ?from= as older links say), never past the latest", async () => {
    expect((await editOverview(t.db, f.projectId, prompt, { version: "2" })).version.version).toBe(2);
    expect((await editOverview(t.db, f.projectId, prompt, { from: "2" })).version.version).toBe(2);
    expect((await editOverview(t.db, f.projectId, prompt, { version: "7" })).version.version).toBe(3);
    const o = await editOverview(t.db, f.projectId, prompt, {});
    expect([o.version.version, o.start, o.promptNames]).toEqual([3, { kind: "newest", environment: null }, ["other"]]);
  });

  it("opens on the newest version with what each environment serves beside it, or on what ?env= serves", async () => {
    await promoteVersion(f.ctx(f.approver), "support/reply", { environment: "staging", version: 2 });
    await promoteVersion(f.ctx(f.approver), "support/reply", { environment: "production", version: 1 });
    // The same rule as the prompt page and its Playground: the newest, whatever production serves.
    const o = await editOverview(t.db, f.projectId, prompt, {});
    expect([o.version.version, o.start]).toEqual([3, { kind: "newest", environment: null }]);
    expect(o.environments).toEqual([
      { name: "development", serves: null },
      { name: "staging", serves: 2 },
      { name: "production", serves: 1 },
    ]);
    expect(o.versions.map((v) => [v.version, v.servedIn])).toEqual([
      [3, []],
      [2, ["staging"]],
      [1, ["production"]],
    ]);
    const staging = await editOverview(t.db, f.projectId, prompt, { env: "staging" });
    expect([staging.version.version, staging.start]).toEqual([2, { kind: "served", environment: "staging" }]);
    // An environment that serves nothing: the newest. A version asked for wins.
    const dev = await editOverview(t.db, f.projectId, prompt, { env: "development" });
    expect([dev.version.version, dev.start]).toEqual([3, { kind: "newest", environment: "development" }]);
    expect((await editOverview(t.db, f.projectId, prompt, { version: "3", env: "production" })).version.version).toBe(
      3,
    );
  });

  it("opens a draft with its diffs, and answers null for one that does not exist", async () => {
    const draft = await createDraft(f.ctx(f.editor), "support/reply", { name: "shorter", fromVersion: 1 });
    const o = await draftOverview(t.db, f.projectId, draft.id);
    expect([o?.draft.name, o?.diffs.base.version, o?.diffs.latest.version, o?.promptNames]).toEqual([
      "shorter",
      1,
      3,
      ["other"],
    ]);
    expect(await draftOverview(t.db, f.projectId, missing)).toBeNull();
  });

  it("answers null for an experiment, dataset or run that does not exist", async () => {
    expect(await experimentOverview(t.db, f.projectId, missing)).toBeNull();
    expect(await datasetOverview(t.db, f.projectId, missing, {})).toBeNull();
    expect(await runOverview(t.db, f.projectId, missing, {}, { pageSize: 10, previewChars: 100 })).toBeNull();
  });

  it("lists runs of the prompt asked for, and says when no prompt has that name", async () => {
    expect(await runsOverview(t.db, f.projectId, { prompt: "other" }, { limit: 10 })).toEqual({
      runs: [],
      unknownPrompt: null,
    });
    expect(await runsOverview(t.db, f.projectId, { prompt: "" }, { limit: 10 })).toEqual({
      runs: [],
      unknownPrompt: null,
    });
    for (const name of ["no-such-prompt", "x".repeat(300)])
      expect(await runsOverview(t.db, f.projectId, { prompt: name }, { limit: 10 })).toEqual({
        runs: [],
        unknownPrompt: name,
      });
  });

  it("starts the experiment form on the prompt asked for, else the first with two versions", async () => {
    const asked = await newExperimentOverview(t.db, f.projectId, { prompt: "other", environment: "staging" });
    expect(asked.initial?.prompt).toBe("other");
    expect(asked.environment).toBe("staging");
    const first = await newExperimentOverview(t.db, f.projectId, { prompt: "no-such-prompt", environment: "moon" });
    expect(first.initial?.prompt).toBe("support/reply");
    expect(first.initial?.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(first.environments.map((e) => e.name)).toContain(first.environment);
  });

  it("lists completed runs, and says why two runs cannot be compared instead of failing", async () => {
    const none = await compareOverview(t.db, f.projectId, {}, { limit: 10 });
    expect([none.result, none.problem, none.regressionsOnly]).toEqual([null, null, false]);
    const bad = await compareOverview(t.db, f.projectId, { a: missing, b: missing, regressions: "1" }, { limit: 10 });
    expect(bad.result).toBeNull();
    expect(bad.problem).toMatch(/run/);
    expect(bad.regressionsOnly).toBe(true);
  });

  it("filters the activity by a known prompt and ignores unknown filters", async () => {
    const all = await activityOverview(t.db, f.projectId, { user: "nobody", action: "nothing" });
    expect([all.userId, all.action, all.filters]).toEqual([undefined, undefined, {}]);
    const one = await activityOverview(t.db, f.projectId, { prompt: "other" });
    expect(one.rows.length).toBeGreaterThan(0);
    expect(new Set(one.rows.map((r) => r.promptName))).toEqual(new Set(["other"]));
  });
});
