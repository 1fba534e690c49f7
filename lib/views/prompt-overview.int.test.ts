import { describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { promptWith } from "../../test/domain-fixtures";
import { getPrompt } from "../registry/prompts";
import { promote } from "../release/promote";
import { defaultShownVersion, promptOverview } from "./prompt-overview";

withReleaseDatabase("overview");

const overview = async (name: string, query: { show?: string; env?: string; at?: string } = {}) => {
  return promptOverview(t.db, f.editor, f.projectId, await getPrompt(t.db, f.projectId, name), query);
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

  it("shows what production serves over what another environment serves, and either over the latest", async () => {
    await promptWith(t.db, f, "served", 4);
    await promote(f.ctx(f.approver), "served", { environment: "staging", version: 2 });
    expect((await overview("served")).shown?.version).toBe(2);
    await promote(f.ctx(f.approver), "served", { environment: "production", version: 1 });
    const o = await overview("served");
    expect(o.shown).toMatchObject({ version: 1, status: "production", liveIn: ["production"] });
    // The playground still runs the newest version unless one is asked for.
    expect(o.playVersion).toBe(4);
    expect(o.environments.find((e) => e.name === "production")?.live?.version).toBe(1);
  });

  it("shows the version asked for when it exists, else the default", async () => {
    const asked = await overview("served", { show: "3" });
    expect([asked.shown?.version, asked.playVersion]).toEqual([3, 3]);
    const unknown = await overview("served", { show: "9" });
    // Any ?show= makes the playground follow the prompt card, even to the default it fell back to.
    expect([unknown.shown?.version, unknown.playVersion]).toEqual([1, 1]);
  });

  it("filters deployments by a known environment only", async () => {
    expect((await overview("served", { env: "staging" })).deployments.map((d) => d.environment)).toEqual(["staging"]);
    const all = await overview("served", { env: "nowhere" });
    expect([all.envFilter, all.deployments.length]).toEqual([undefined, 2]);
  });
});

describe("defaultShownVersion", () => {
  const env = (name: string, version: number | null) => ({
    name,
    live: version === null ? null : { version, at: "", action: "promote", by: "" },
  });
  it.each([
    { asked: undefined, envs: [env("staging", 2), env("production", 1)], want: 1 },
    { asked: undefined, envs: [env("staging", 2), env("production", null)], want: 2 },
    { asked: undefined, envs: [env("staging", null)], want: 5 },
    { asked: "3", envs: [env("production", 1)], want: 3 },
    { asked: "7", envs: [env("production", 1)], want: 1 },
    { asked: "", envs: [], want: 5 },
  ])("asked $asked → v$want", ({ asked, envs, want }) => {
    expect(defaultShownVersion([5, 4, 3, 2, 1], envs, 5, asked)).toBe(want);
  });
});
