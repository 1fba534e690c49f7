// One review for a bundle release (docs/decisions/bundles.md): requested once for every member that changes, decided
// once — approving any member's request approves them all and releases the bundle in the same transaction, with
// four eyes over every member; rejecting or cancelling one ends them all; nothing deploys a member alone.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleReleases, reviewRequests } from "../../../db/schema";
import { f, t, withReleaseDatabase } from "../../../test/release-fixture";
import { failure, liveVersion, promptWith } from "../../../test/domain-fixtures";
import type { Actor } from "../../auth/permissions";
import { createPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { bundleReviewPlans, breakingKeys } from "./bundle-review-plans";
import { listBundleReviews, requestBundleReview } from "./bundle-reviews";
import { createBundle, getBundleRow, releaseBundle } from "./bundles";
import { updateEnvironment } from "../environments";
import { cancelReview, decideReview } from "../reviews/reviews";
import { textPrompt } from "../../../test/contents";

const prod = "production";

withReleaseDatabase("bundle-reviews");
beforeAll(async () => {
  for (const name of ["crew/a", "crew/b"]) await promptWith(t.db, f, name, 2);
  await createBundle(f.ctx(f.editor), { name: "crew", prompts: ["crew/a", "crew/b"] });
  await releaseBundle(f.ctx(f.approver), "crew", { environment: prod, versions: { "crew/a": 1, "crew/b": 1 } });
  // desk: version 2 of each member breaks production's callers (a new required variable; a variable removed).
  await createPrompt(f.ctx(f.editor), textPrompt("desk/ask", "{{q}}", { variables: [{ name: "q" }] }));
  await createVersion(f.ctx(f.editor), "desk/ask", {
    template: "{{q}} #{{order_id}}",
    variables: [{ name: "q" }, { name: "order_id" }],
  });
  await createPrompt(f.ctx(f.editor), textPrompt("desk/tone", "{{mood}}", { variables: [{ name: "mood" }] }));
  await createVersion(f.ctx(f.editor), "desk/tone", { template: "calm", variables: [] });
  await createBundle(f.ctx(f.editor), { name: "desk", prompts: ["desk/ask", "desk/tone"] });
  await releaseBundle(f.ctx(f.approver), "desk", { environment: prod, versions: { "desk/ask": 1, "desk/tone": 1 } });
  await updateEnvironment(f.ctx(f.admin), prod, { requiresReview: true });
});

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
    const bundle = await getBundleRow(t.db, f.projectId, "crew");
    const releases = await t.db.select().from(bundleReleases).where(eq(bundleReleases.bundleId, bundle.id));
    expect(releases.sort((x, y) => y.id - x.id)[0]).toMatchObject({ versions: both, reason: "Approved review: ok" });
    expect((await listBundleReviews(t.db, f.projectId, "crew"))[0]).toMatchObject({ id: r.id, status: "approved" });
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
      (await failure(requestBundleReview(f.ctx(f.editor), "nope", { environment: prod, versions: {} }))).code,
    ).toBe("not_found");
  });
});

describe("approving a bundle review whose members break production's callers", () => {
  const desk = { "desk/ask": 2, "desk/tone": 2 };
  const lives = async () => [
    await liveVersion(t.db, f, "desk/ask", prod),
    await liveVersion(t.db, f, "desk/tone", prod),
  ];

  it("needs an approver's confirmation of every member's changes, named member by member", async () => {
    const r = await requestBundleReview(f.ctx(f.editor), "desk", { environment: prod, versions: desk });
    const ids = r.reviews.map((m) => m.id);
    // What the review dialog reads: each member's breaking changes from its plan.
    const read = await bundleReviewPlans(t.db, f.projectId, ids[0]!);
    expect(read.breaking).toEqual([
      { prompt: "desk/ask", version: 2, changes: [expect.objectContaining({ key: "variable.added:order_id" })] },
      { prompt: "desk/tone", version: 2, changes: [expect.objectContaining({ key: "variable.removed:mood" })] },
    ]);
    const unchanged = async () => {
      expect(await statuses(ids)).toEqual(["pending", "pending"]);
      expect(await lives()).toEqual([1, 1]);
    };

    const bare = await failure(decideReview(f.ctx(f.approver), ids[0]!, { decision: "approve" }));
    expect(bare.code).toBe("invalid_input");
    expect(bare.details).toMatchObject({ field: "confirmBreaking", bundle: "desk" });
    expect(bare.message).toMatch(/desk\/ask: .*New required variable order_id/);
    expect(bare.message).toMatch(/desk\/tone: .*Variable mood removed/);
    await unchanged();
    // A confirmation names the changes the person saw: one member's keys do not cover the other's.
    const half = await failure(
      decideReview(f.ctx(f.approver), ids[0]!, { decision: "approve", confirmBreaking: ["variable.added:order_id"] }),
    );
    expect(half.message).toMatch(/desk\/tone: .*Variable mood removed/);
    expect(half.message).not.toMatch(/desk\/ask:/);
    await unchanged();

    // A key's confirmation never counts (an editor's: the wrapper refuses it, review.decide, action-permissions).
    const key: Actor = { type: "api_key", id: crypto.randomUUID(), label: "ci", scope: "admin" };
    const byKey = await failure(decideReview(f.ctx(key), ids[1]!, { decision: "approve", confirmBreaking: true }));
    expect(byKey.code).toBe("forbidden");
    await unchanged();

    const d = await decideReview(f.ctx(f.approver), ids[1]!, {
      decision: "approve",
      confirmBreaking: breakingKeys(read.breaking),
    });
    expect((d as { bundleRelease?: { versions: unknown } | null }).bundleRelease?.versions).toEqual(desk);
    expect(await statuses(ids)).toEqual(["approved", "approved"]);
    expect(await lives()).toEqual([2, 2]);
  });

  it("reads a bundle review of this project only", async () => {
    const [review] = await t.db.select().from(reviewRequests).limit(1);
    expect((await failure(bundleReviewPlans(t.db, crypto.randomUUID(), review!.id))).code).toBe("not_found");
    expect((await failure(bundleReviewPlans(t.db, f.projectId, "nope"))).code).toBe("not_found");
  });
});
