// Exporting a snapshot: environments with rules, every version and the whole deployment log.
import { describe, expect, it } from "vitest";
import { exportProjectSnapshot } from "./export";
import { setUpSnapshots, src, t } from "./snapshots.fixture";

setUpSnapshots();

describe("export", () => {
  it("carries environments with rules, every version and the whole deployment log, instants to the microsecond", async () => {
    const s = await exportProjectSnapshot(t.db, src.projectId);
    // No bundles: format 1, which servers from before bundles read.
    expect([s.format, s.bundles]).toEqual(["lectern.project/1", []]);
    expect(s.environments.map((e) => e.name)).toEqual(["development", "staging", "production", "qa"]);
    expect(s.environments.find((e) => e.name === "production")).toMatchObject({
      protected: true,
      requiresLiveIn: "staging",
    });
    const reply = s.prompts.find((p) => p.name === "reply")!;
    expect(reply).toMatchObject({ description: "Answers a ticket", tags: ["support", "email"] });
    expect(reply.versions.map((v) => [v.version, v.commitMessage, v.author, v.baseVersion])).toEqual([
      [1, "Initial version", "editor@source.test", null],
      [2, "shorter", "editor@source.test", 1],
      [3, "prefix", "editor@source.test", 2],
    ]);
    expect(reply.deployments.map((d) => [d.environment, d.version, d.action])).toEqual([
      ["staging", 1, "promote"],
      ["production", 1, "promote"],
      ["staging", 2, "promote"],
      ["production", 2, "promote"],
      ["staging", 3, "promote"],
      ["production", 1, "rollback"],
    ]);
    expect(reply.deployments[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(s.prompts.find((p) => p.name === "old")!.archivedAt).not.toBeNull();
  });
});
