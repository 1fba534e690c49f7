// One review for a bundle release (issue 42): requested once for every member that changes, decided once —
// approving any member's request approves them all and releases the bundle in the same transaction, with
// four eyes over every member; rejecting or cancelling one ends them all; nothing deploys a member alone.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleReleases, reviewRequests } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { failure, liveVersion, promptWith, seedProject, type Fixture } from "../../test/domain-fixtures";
import { createVersion } from "../registry/versions";
import { bundleReviewsOf, requestBundleReview } from "./bundle-reviews";
import { createBundle, getBundle, releaseBundle } from "./bundles";
import { updateEnvironmentRules } from "./environments";
import { cancelReview, decideReview } from "./reviews";

let t: TestDatabase;
let f: Fixture;
const prod = "production";

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "bundle-reviews");
  for (const name of ["crew/a", "crew/b"]) await promptWith(t.db, f, name, 2);
  await createBundle(f.ctx(f.editor), { name: "crew", prompts: ["crew/a", "crew/b"] });
  await releaseBundle(f.ctx(f.approver), "crew", { environment: prod, versions: { "crew/a": 1, "crew/b": 1 } });
  await updateEnvironmentRules(f.ctx(f.admin), prod, { requiresReview: true });
});
afterAll(async () => t.drop());

const statuses = async (ids: string[]) =>
  Promise.all(
    ids.map(async (id) => (await t.db.select().from(reviewRequests).where(eq(reviewRequests.id, id)))[0]!.status),
  );

describe("one review for a bundle release", () => {
  it("is one approval: every member approved and the bundle released together", async () => {
    const both = { "crew/a": 2, "crew/b": 2 };
    const blocked = await failure(releaseBundle(f.ctx(f.approver), "crew", { environment: prod, versions: both }));
    expect(blocked.message).toMatch(/crew\/a: .*review/);
    const r = await requestBundleReview(f.ctx(f.editor), "crew", {
      environment: prod,
      versions: both,
      message: "new tools",
    });
    expect(r).toMatchObject({ bundle: "crew", environment: prod, status: "pending", versions: both });
    expect(r.reviews.map((m) => [m.prompt, m.version])).toEqual([
      ["crew/a", 2],
      ["crew/b", 2],
    ]);
    // The editor wrote both versions and asked: never theirs to approve.
    expect((await failure(decideReview(f.ctx(f.editor), r.reviews[1]!.id, { decision: "approve" }))).code).toBe(
      "forbidden",
    );
    const d = await decideReview(f.ctx(f.approver), r.reviews[1]!.id, { decision: "approve", comment: "ok" });
    expect(d.review.id).toBe(r.reviews[1]!.id);
    expect(await statuses(r.reviews.map((m) => m.id))).toEqual(["approved", "approved"]);
    expect([await liveVersion(t.db, f, "crew/a", prod), await liveVersion(t.db, f, "crew/b", prod)]).toEqual([2, 2]);
    const bundle = await getBundle(t.db, f.projectId, "crew");
    const releases = await t.db.select().from(bundleReleases).where(eq(bundleReleases.bundleId, bundle.id));
    expect(releases.sort((x, y) => y.id - x.id)[0]).toMatchObject({ versions: both, reason: "Approved review: ok" });
    expect((await bundleReviewsOf(t.db, f.projectId, "crew"))[0]).toMatchObject({ id: r.id, status: "approved" });
    // Deciding it again is a conflict, and there is nothing left to review.
    expect((await failure(decideReview(f.ctx(f.approver2), r.reviews[0]!.id, { decision: "reject" }))).code).toBe(
      "conflict",
    );
    const nothing = await failure(requestBundleReview(f.ctx(f.editor), "crew", { environment: prod, versions: both }));
    expect(nothing.message).toMatch(/already serves those versions in production: there is nothing to review/);
  });

  it("asks only for the members that change; four eyes hold for every member", async () => {
    await createVersion(f.ctx(f.approver), "crew/b", { template: "v3 by the approver" });
    const r = await requestBundleReview(f.ctx(f.editor), "crew", {
      environment: prod,
      versions: { "crew/a": 2, "crew/b": 3 },
    });
    expect(r.reviews.map((m) => m.prompt)).toEqual(["crew/b"]);
    const twice = await failure(
      requestBundleReview(f.ctx(f.editor), "crew", { environment: prod, versions: { "crew/a": 2, "crew/b": 3 } }),
    );
    expect(twice.message).toBe(
      "crew/b version 3 already has a pending review for production: decide or cancel it first.",
    );
    const own = await failure(decideReview(f.ctx(f.approver), r.reviews[0]!.id, { decision: "approve" }));
    expect([own.code, own.message]).toEqual([
      "forbidden",
      "You cannot approve this review of bundle crew: you requested it or wrote crew/b version 3; another approver must review it.",
    ]);
    await decideReview(f.ctx(f.approver2), r.reviews[0]!.id, { decision: "reject", comment: "not yet" });
    expect(await statuses([r.reviews[0]!.id])).toEqual(["rejected"]);
    expect(await liveVersion(t.db, f, "crew/b", prod)).toBe(2);
  });

  it("is cancelled as one, and refuses bad input naming it", async () => {
    await createVersion(f.ctx(f.editor), "crew/a", { template: "v3" });
    const r = await requestBundleReview(f.ctx(f.editor), "crew", {
      environment: prod,
      versions: { "crew/a": 3, "crew/b": 1 },
    });
    expect(r.reviews.map((m) => m.prompt)).toEqual(["crew/a", "crew/b"]);
    await cancelReview(f.ctx(f.editor), r.reviews[0]!.id);
    expect(await statuses(r.reviews.map((m) => m.id))).toEqual(["cancelled", "cancelled"]);
    const missing = await failure(
      requestBundleReview(f.ctx(f.editor), "crew", { environment: prod, versions: { "crew/a": 3 } }),
    );
    expect([missing.code, missing.details]).toEqual([
      "invalid_input",
      { field: "versions", missing: ["crew/b"], strangers: [] },
    ]);
    expect(
      (await failure(requestBundleReview(f.ctx(f.viewer), "crew", { environment: prod, versions: {} }))).code,
    ).toBe("forbidden");
    expect(
      (await failure(requestBundleReview(f.ctx(f.editor), "nope", { environment: prod, versions: {} }))).code,
    ).toBe("not_found");
  });
});
