// Releases measured against what an environment serves: which changes break its callers, and the
// confirmation a protected environment needs before it takes them.
import { beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../../../test/db";
import { failure } from "../../../test/domain-fixtures";
import { promptBreakingCallers } from "../../../test/fixtures-breaking";
import { f, t, withReleaseDatabase } from "../../../test/release-fixture";
import { getPrompt } from "../../registry/prompts";
import { releaseChanges as changesOf } from "./breaking";
import { liveDeployment } from "../deployments";
import { getEnvironmentRow } from "../environments";
import { promoteVersion } from "../promote";
import { decideReview, requestReview } from "../reviews/reviews";

let prodId: string;

withReleaseDatabase("breaking");
beforeAll(async () => {
  // v1 live everywhere; v2 adds an optional variable; v3 adds a required one without a default.
  await promptBreakingCallers(f, "reply", [
    {
      template: "Hi {{name}}{{#vip}} (VIP){{/vip}}",
      variables: [{ name: "name" }, { name: "vip", type: "boolean", required: false }],
    },
  ]);
  prodId = (await getEnvironmentRow(t.db, f.projectId, "production")).id;
});

/** releaseChanges by names, as the release dialog's preview reads it. */
const releaseChanges = async (db: TestDatabase["db"], projectId: string, name: string, env: string, v: number) =>
  changesOf(db, await getPrompt(db, projectId, name), await getEnvironmentRow(db, projectId, env), v);

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

  it("names who made each change between what is live and the version, and what going back undoes", async () => {
    const r = await releaseChanges(t.db, f.projectId, "reply", "production", 3);
    expect(r.authors.map((a) => [a.version, a.author, a.undone])).toEqual([
      [2, "editor", false],
      [3, "editor", false],
    ]);
    expect(r.authors[1]!.changes.join(" ")).toContain("order_id");
    await promoteVersion(f.ctx(f.approver), "reply", { environment: "staging", version: 3 });
    const back = await releaseChanges(t.db, f.projectId, "reply", "staging", 1);
    expect(back.authors.map((a) => [a.version, a.undone])).toEqual([
      [2, true],
      [3, true],
    ]);
    await promoteVersion(f.ctx(f.approver), "reply", { environment: "staging", version: 1 });
    expect((await releaseChanges(t.db, f.projectId, "reply", "staging", 1)).authors).toEqual([]);
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

describe("confirming breaking changes: one argument for every caller", () => {
  it("refuses a breaking release to a protected environment unless each change is confirmed, naming them", async () => {
    const e = await failure(promoteVersion(f.ctx(f.approver), "reply", { environment: "production", version: 3 }));
    expect(e.code).toBe("invalid_input");
    expect(e.details).toMatchObject({ field: "confirmBreaking", breaking: ["variable.added:order_id"] });
    expect(e.details!.plan).toMatchObject({ status: "blocked", missing: ["breaking"] });
    expect(e.message).toContain("order_id");
    // Keys the person did not see confirm nothing.
    const other = await failure(
      promoteVersion(f.ctx(f.approver), "reply", {
        environment: "production",
        version: 3,
        confirmBreaking: ["variable.added:something-else"],
      }),
    );
    expect(other.message).toMatch(/order_id/);
    expect((await liveDeployment(t.db, (await getPrompt(t.db, f.projectId, "reply")).id, prodId))!.version).toBe(1);
  });

  it("lets compatible releases and unprotected environments through without a confirmation", async () => {
    await promoteVersion(f.ctx(f.editor), "reply", { environment: "staging", version: 3 });
    await promoteVersion(f.ctx(f.approver), "reply", { environment: "production", version: 2 });
  });

  it("takes the keys the person saw (the UI) or true (the API), and the approval of a review alike", async () => {
    // The keys shown to the person (live is version 2 here: order_id added, vip removed).
    const shown = (await failure(promoteVersion(f.ctx(f.approver), "reply", { environment: "production", version: 3 })))
      .details!.breaking as string[];
    expect(shown.sort()).toEqual(["variable.added:order_id", "variable.removed:vip"]);
    await promoteVersion(f.ctx(f.approver), "reply", { environment: "production", version: 3, confirmBreaking: shown });
    // Back to version 1 removes order_id: breaking too, confirmed by the API's `true`.
    await promoteVersion(f.ctx(f.approver), "reply", { environment: "production", version: 1, confirmBreaking: true });
    await promoteVersion(f.ctx(f.approver), "reply", { environment: "production", version: 3, confirmBreaking: true });
    await promoteVersion(f.ctx(f.approver), "reply", { environment: "production", version: 1, confirmBreaking: true });
    const review = await requestReview(f.ctx(f.editor), "reply", { version: 3, environment: "production" });
    const refused = await failure(decideReview(f.ctx(f.approver2), review.id, { decision: "approve" }));
    expect(refused.details).toMatchObject({ field: "confirmBreaking" });
    // The refused approval changed nothing: the review is still pending.
    const approved = await decideReview(f.ctx(f.approver2), review.id, { decision: "approve", confirmBreaking: true });
    expect(approved.deployment!.version).toBe(3);
  });
});
