import { describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { promptWith } from "../../test/domain-fixtures";
import { getPrompt } from "../registry/prompts";
import { promoteVersion } from "../release/promote";
import { promptOverview, shownVersion } from "./prompt-overview";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

withReleaseDatabase("overview");

const overview = async (name: string, query: { version?: string; show?: string; env?: string; at?: string } = {}) => {
  return promptOverview(
    projectContext(t.db, f.editor, f.projectId, noEvents),
    await getPrompt(t.db, f.projectId, name),
    query,
  );
};

describe("promptOverview", () => {
  it("shows the latest version while nothing is live, and the playground runs it", async () => {
    await promptWith(t.db, f, "fresh", 3);
    const o = await overview("fresh");
    expect(o.shown?.version).toBe(3);
    expect(o.playVersion).toBe(3);
    expect(o.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(o.environments.every((e) => e.live === null)).toBe(true);
  });

  it("shows the newest version whatever the environments serve, with what each serves beside it", async () => {
    await promptWith(t.db, f, "served", 4);
    await promoteVersion(f.ctx(f.approver), "served", { environment: "staging", version: 2 });
    await promoteVersion(f.ctx(f.approver), "served", { environment: "production", version: 1 });
    const o = await overview("served");
    // One rule for the prompt card, its Playground and the editor: the newest.
    expect([o.shown?.version, o.playVersion]).toEqual([4, 4]);
    expect(o.environments.find((e) => e.name === "production")?.live?.version).toBe(1);
    expect(o.environments.find((e) => e.name === "staging")?.live?.version).toBe(2);
  });

  it("shows the version asked for when it exists, else the newest; the Playground runs the same one", async () => {
    const asked = await overview("served", { version: "1" });
    expect(asked.shown).toMatchObject({ version: 1, status: "production", liveIn: ["production"] });
    expect(asked.playVersion).toBe(1);
    // ?show= (links made before ?version=) still works.
    expect([(await overview("served", { show: "3" })).playVersion]).toEqual([3]);
    const unknown = await overview("served", { version: "9" });
    expect([unknown.shown?.version, unknown.playVersion]).toEqual([4, 4]);
  });

  it("filters deployments by a known environment only", async () => {
    expect((await overview("served", { env: "staging" })).deployments.map((d) => d.environment)).toEqual(["staging"]);
    const all = await overview("served", { env: "nowhere" });
    expect([all.envFilter, all.deployments.length]).toEqual([undefined, 2]);
  });
});

describe("shownVersion", () => {
  it.each([
    { asked: undefined, want: 5 },
    { asked: "3", want: 3 },
    { asked: "7", want: 5 },
    { asked: "", want: 5 },
    { asked: "x", want: 5 },
  ])("asked $asked → v$want", ({ asked, want }) => {
    expect(shownVersion([5, 4, 3, 2, 1], 5, asked)).toBe(want);
  });
});
