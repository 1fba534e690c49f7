import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { reviewComments, reviewRequests } from "../../../db/schema";
import { f, t, withReleaseDatabase } from "../../../test/release-fixture";
import { code, count, failure, liveVersion, recordingSink } from "../../../test/domain-fixtures";
import { createPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { promoteVersion } from "../promote";
import { updateEnvironment } from "../environments";
import { cancelReview, decideReview, listReviews, requestReview } from "./reviews";
import { createApiKey } from "../../auth/api-keys";
import type { Actor } from "../../auth/permissions";
import { projectContext } from "../../context";
import { noEvents } from "../../announcements";

const live = (name: string, environment: string) => liveVersion(t.db, f, name, environment);

withReleaseDatabase("reviews");
beforeAll(async () => {
  // v1 is the approver's own work, v2 and v3 the editor's.
  await createPrompt(f.ctx(f.approver), { name: "faq", type: "text", template: "one" });
  await createVersion(f.ctx(f.editor), "faq", { template: "two" });
  await createVersion(f.ctx(f.editor), "faq", { template: "three" });
});

describe("requesting a review", () => {
  it("an editor requests; a duplicate pending request is a conflict; a viewer cannot request", async () => {
    const review = await requestReview(f.ctx(f.editor), "faq", {
      version: 2,
      environment: "production",
      message: "please",
    });
    expect(review).toMatchObject({
      status: "pending",
      version: 2,
      requestedBy: f.editor.id,
      deployOnApprove: true,
      message: "please",
    });
    const before = await count(t.db, "review_requests");
    const dup = await failure(requestReview(f.ctx(f.editor2), "faq", { version: 2, environment: "production" }));
    expect(dup.code).toBe("conflict");
    expect(dup.details).toMatchObject({ version: 2, environment: "production" });
    expect(await code(requestReview(f.ctx(f.editor), "faq", { version: 9, environment: "production" }))).toBe(
      "not_found",
    );
    expect(await code(requestReview(f.ctx(f.editor), "faq", { version: 3, environment: "qa" }))).toBe("not_found");
    expect(await count(t.db, "review_requests")).toBe(before);
    const pending = await listReviews(t.db, f.projectId, { status: "pending" });
    expect(pending.map((p) => [p.promptName, p.review.version, p.environment, p.requesterName])).toEqual([
      ["faq", 2, "production", "editor"],
    ]);
  });
});

describe("deciding a review", () => {
  it("neither the requester nor the version's author may approve; another approver's approval deploys", async () => {
    const sink = recordingSink(t.db);
    // The approver requests a review of their own v1 for staging.
    const own = await requestReview(f.ctx(f.approver), "faq", { version: 1, environment: "staging" });
    const byRequester = await failure(decideReview(f.ctx(f.approver, sink), own.id, { decision: "approve" }));
    expect(byRequester.code).toBe("forbidden");
    // The editor requests a review of the approver's v1 for development: the author still may not approve.
    const authored = await requestReview(f.ctx(f.editor), "faq", { version: 1, environment: "development" });
    expect(await code(decideReview(f.ctx(f.approver, sink), authored.id, { decision: "approve" }))).toBe("forbidden");
    expect(await code(decideReview(f.ctx(f.editor, sink), authored.id, { decision: "approve" }))).toBe("forbidden");
    expect(await live("faq", "staging")).toBeUndefined();
    expect(sink.events).toEqual([]);
    const [stillPending] = await t.db.select().from(reviewRequests).where(eq(reviewRequests.id, own.id));
    expect(stillPending!.status).toBe("pending");

    const { review, deployment } = await decideReview(f.ctx(f.approver2, sink), own.id, {
      decision: "approve",
      comment: "lgtm",
    });
    expect(review).toMatchObject({ status: "approved", decidedBy: f.approver2.id, decisionComment: "lgtm" });
    expect(deployment).toMatchObject({
      version: 1,
      action: "promote",
      actorId: f.approver2.id,
      reason: "Approved review: lgtm",
    });
    expect(await live("faq", "staging")).toBe(1);
    expect(sink.events).toEqual([
      { projectId: f.projectId, prompt: "faq", environment: "staging", version: 1, action: "promote", committed: true },
    ]);
    expect(
      (await t.db.select().from(reviewComments).where(eq(reviewComments.reviewId, own.id))).map((c) => c.body),
    ).toEqual(["lgtm"]);
  });

  it("four eyes: an API key may request a review but never decide one, and its creator may not approve it", async () => {
    const key = await createApiKey(projectContext(t.db, f.admin, f.projectId, noEvents), {
      name: "ci",
      scope: "admin",
    });
    const keyActor: Actor = { type: "api_key", id: key.id, label: "api-key:ci", scope: "admin" };
    const requested = await requestReview(f.ctx(keyActor), "faq", { version: 2, environment: "development" });
    expect(requested.requestedBy).toBe(f.admin.id);
    const byKey = await failure(decideReview(f.ctx(keyActor), requested.id, { decision: "approve" }));
    expect(byKey.code).toBe("forbidden");
    expect(byKey.message).toContain("API keys may request reviews but never approve");
    expect(await code(decideReview(f.ctx(keyActor), requested.id, { decision: "reject" }))).toBe("forbidden");
    expect(await code(decideReview(f.ctx(f.admin), requested.id, { decision: "approve" }))).toBe("forbidden");
    expect(await live("faq", "development")).toBeUndefined();
    await decideReview(f.ctx(f.approver2), requested.id, { decision: "approve" });
    expect(await live("faq", "development")).toBe(2);
  });

  it("approving a production request deploys to protected production", async () => {
    const [pending] = await listReviews(t.db, f.projectId, { status: "pending" }).then((rows) =>
      rows.filter((r) => r.environment === "production"),
    );
    const { review, deployment } = await decideReview(f.ctx(f.approver), pending!.review.id, { decision: "approve" });
    expect(review.status).toBe("approved");
    expect(deployment?.version).toBe(2);
    expect(await live("faq", "production")).toBe(2);
  });

  it("deciding twice is a conflict, whatever the second decision", async () => {
    const r = await requestReview(f.ctx(f.editor), "faq", {
      version: 3,
      environment: "staging",
      deployOnApprove: false,
    });
    const first = await decideReview(f.ctx(f.approver), r.id, { decision: "approve" });
    expect(first.deployment).toBeNull();
    expect(await live("faq", "staging")).toBe(1);
    const again = await failure(decideReview(f.ctx(f.approver2), r.id, { decision: "reject" }));
    expect(again.code).toBe("conflict");
    expect(again.details).toMatchObject({ status: "approved" });
    expect(await code(decideReview(f.ctx(f.approver2), r.id, { decision: "approve" }))).toBe("conflict");
    expect(await code(cancelReview(f.ctx(f.editor), r.id))).toBe("conflict");
  });

  it("rejecting records the decision and deploys nothing; a new request is then possible", async () => {
    const sink = recordingSink(t.db);
    const r = await requestReview(f.ctx(f.editor), "faq", { version: 3, environment: "production" });
    const before = await count(t.db, "deployments");
    const { review, deployment } = await decideReview(f.ctx(f.approver, sink), r.id, {
      decision: "reject",
      comment: "tone is off",
    });
    expect(review).toMatchObject({ status: "rejected", decisionComment: "tone is off", decidedBy: f.approver.id });
    expect(deployment).toBeNull();
    expect(await count(t.db, "deployments")).toBe(before);
    expect(sink.events).toEqual([]);
    expect(await code(requestReview(f.ctx(f.editor), "faq", { version: 3, environment: "production" }))).toBe("ok");
  });

  it("concurrent approvals: exactly one wins and deploys once", async () => {
    await createVersion(f.ctx(f.editor), "faq", { template: "four" });
    const r = await requestReview(f.ctx(f.editor), "faq", { version: 4, environment: "development" });
    const before = await count(t.db, "deployments");
    const results = await Promise.allSettled([
      decideReview(f.ctx(f.approver), r.id, { decision: "approve" }),
      decideReview(f.ctx(f.approver2), r.id, { decision: "approve" }),
    ]);
    expect(results.map((x) => x.status).sort()).toEqual(["fulfilled", "rejected"]);
    const lost = results.find((x) => x.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: "conflict", details: { status: "approved" } });
    expect(await count(t.db, "deployments")).toBe(before + 1);
  });

  it("an approval racing a cancel: one wins, and the loser's conflict names the winner's status", async () => {
    const r = await requestReview(f.ctx(f.editor), "faq", {
      version: 4,
      environment: "staging",
      deployOnApprove: false,
    });
    const [approved, cancelled] = await Promise.allSettled([
      decideReview(f.ctx(f.approver), r.id, { decision: "approve" }),
      cancelReview(f.ctx(f.editor), r.id),
    ]);
    const [row] = await t.db.select().from(reviewRequests).where(eq(reviewRequests.id, r.id));
    const [winner, loser] = approved.status === "fulfilled" ? ["approved", cancelled] : ["cancelled", approved];
    expect(row!.status).toBe(winner);
    expect(loser).toMatchObject({ status: "rejected", reason: { code: "conflict", details: { status: winner } } });
  });

  it("an approval whose deployment is refused by a rule changes nothing", async () => {
    await updateEnvironment(f.ctx(f.admin), "production", { requiresLiveIn: "staging" });
    // A request whose approval could not deploy says so, with the plan, and needs acknowledging.
    const told = await failure(requestReview(f.ctx(f.editor), "faq", { version: 4, environment: "production" }));
    expect(told).toMatchObject({
      code: "conflict",
      details: { field: "acknowledgeMissing", missing: ["live_in"], plan: { status: "blocked" } },
    });
    expect(told.message).toMatch(
      /could not deploy version 4 to production yet: Version 4 has not been live in staging/,
    );
    const r = await requestReview(f.ctx(f.editor), "faq", {
      version: 4,
      environment: "production",
      acknowledgeMissing: true,
    });
    expect(r.plan.missing).toEqual(["live_in"]);
    const before = await count(t.db, "deployments");
    const err = await failure(decideReview(f.ctx(f.approver), r.id, { decision: "approve" }));
    expect(err).toMatchObject({
      code: "conflict",
      details: { rule: "requiresLiveIn", plan: { missing: ["live_in"] } },
    });
    const [row] = await t.db.select().from(reviewRequests).where(eq(reviewRequests.id, r.id));
    expect(row).toMatchObject({ status: "pending", decidedBy: null });
    expect(await count(t.db, "deployments")).toBe(before);
    // Once the rule is met, the same request can be approved and deploys.
    await promoteVersion(f.ctx(f.editor), "faq", { environment: "staging", version: 4 });
    expect((await decideReview(f.ctx(f.approver), r.id, { decision: "approve" })).deployment?.version).toBe(4);
    expect(await live("faq", "production")).toBe(4);
  });

  it("the requester (or an approver) can cancel", async () => {
    await createVersion(f.ctx(f.editor), "faq", { template: "five" });
    const r = await requestReview(f.ctx(f.editor), "faq", { version: 5, environment: "development" });
    // Another editor may neither decide (review.decide, the endpoint's) nor cancel it (the reviewCancel rule): the
    // wrappers refuse both (action-permissions.int.test.ts, lib/server/actions/resource-rules.int.test.ts).
    expect(
      await code(decideReview(f.ctx(f.approver), "00000000-0000-0000-0000-000000000000", { decision: "approve" })),
    ).toBe("not_found");
    expect((await cancelReview(f.ctx(f.editor), r.id)).status).toBe("cancelled");
  });
});
