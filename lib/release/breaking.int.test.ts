// Releases measured against what an environment serves: which changes break its callers, and the
// confirmation a protected environment needs before it takes them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { failure, seedProject, type Fixture } from "../../test/domain-fixtures";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { releaseChanges, requireBreakingConfirmed, reviewRelease } from "./breaking";
import { promote } from "./deployments";
import { requestReview } from "./reviews";

let t: TestDatabase;
let f: Fixture;

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "breaking");
  // v1 live everywhere; v2 adds an optional variable; v3 adds a required one without a default.
  await createPrompt(f.ctx(f.editor), {
    name: "reply",
    type: "text",
    template: "Hi {{name}}",
    variables: [{ name: "name" }],
  });
  await createVersion(f.ctx(f.editor), "reply", {
    template: "Hi {{name}}{{#vip}} (VIP){{/vip}}",
    variables: [{ name: "name" }, { name: "vip", type: "boolean", required: false }],
  });
  await createVersion(f.ctx(f.editor), "reply", {
    template: "Hi {{name}}, about order {{order_id}}",
    variables: [{ name: "name" }, { name: "order_id" }],
  });
  for (const environment of ["staging", "production"])
    await promote(f.ctx(f.approver), "reply", { environment, version: 1 });
});
afterAll(async () => t.drop());

describe("releaseChanges", () => {
  it("classifies the change from the live version", async () => {
    const compatible = await releaseChanges(t.db, f.projectId, "reply", "production", 2);
    expect(compatible).toMatchObject({ live: 1, version: 2, environment: { name: "production", protected: true } });
    expect(compatible.compat.breaking).toEqual([]);
    expect(compatible.compat.compatible.map((c) => c.key)).toContain("variable.added:vip");

    const breaking = await releaseChanges(t.db, f.projectId, "reply", "production", 3);
    expect(breaking.compat.breaking.map((c) => c.key)).toEqual(["variable.added:order_id"]);
    expect(breaking.diff.variables.map((v) => v.name)).toEqual(["order_id"]);
  });

  it("breaks no one where nothing is live yet", async () => {
    const r = await releaseChanges(t.db, f.projectId, "reply", "development", 3);
    expect(r.live).toBeNull();
    expect(r.compat).toEqual({ breaking: [], compatible: [] });
  });

  it("fails like promote does for an unknown version or environment", async () => {
    expect((await failure(releaseChanges(t.db, f.projectId, "reply", "production", 9))).code).toBe("not_found");
    expect((await failure(releaseChanges(t.db, f.projectId, "reply", "qa", 2))).code).toBe("not_found");
  });
});

describe("requireBreakingConfirmed", () => {
  it("asks a protected environment to confirm each breaking change, naming them", async () => {
    const r = await releaseChanges(t.db, f.projectId, "reply", "production", 3);
    const e = await failure(Promise.resolve().then(() => requireBreakingConfirmed(r, [])));
    expect(e.code).toBe("invalid_input");
    expect(e.details).toMatchObject({ field: "confirmBreaking", breaking: ["variable.added:order_id"] });
    expect(e.message).toContain("order_id");
    expect(() => requireBreakingConfirmed(r, ["variable.added:something-else"])).toThrow(/order_id/);
    expect(() => requireBreakingConfirmed(r, ["variable.added:order_id"])).not.toThrow();
  });

  it("lets compatible releases and unprotected environments through without a confirmation", async () => {
    const compatible = await releaseChanges(t.db, f.projectId, "reply", "production", 2);
    const unprotected = await releaseChanges(t.db, f.projectId, "reply", "staging", 3);
    expect(unprotected.compat.breaking).toHaveLength(1);
    expect(() => requireBreakingConfirmed(compatible, [])).not.toThrow();
    expect(() => requireBreakingConfirmed(unprotected, [])).not.toThrow();
  });
});

describe("reviewRelease", () => {
  it("names the release an approval would make, and nothing for reviews that do not deploy", async () => {
    const deploying = await requestReview(f.ctx(f.editor), "reply", { version: 3, environment: "production" });
    const notDeploying = await requestReview(f.ctx(f.editor), "reply", {
      version: 2,
      environment: "production",
      deployOnApprove: false,
    });
    expect(await reviewRelease(t.db, f.projectId, deploying.id)).toEqual({
      prompt: "reply",
      environment: "production",
      version: 3,
    });
    expect(await reviewRelease(t.db, f.projectId, notDeploying.id)).toBeNull();
    expect(await reviewRelease(t.db, f.projectId, "not-a-uuid")).toBeNull();
    expect(await reviewRelease(t.db, f.projectId, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});
