import { beforeAll, describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { promptWith } from "../../test/domain-fixtures";
import { decideReview, requestReview } from "../release/reviews/reviews";
import { reviewsOverview } from "./reviews-overview";

withReleaseDatabase("reviews-view");
beforeAll(async () => {
  await promptWith(t.db, f, "answer", 2);
});

describe("reviewsOverview", () => {
  it("gives each pending review its plan, and names who decided the others", async () => {
    const waiting = await requestReview(f.ctx(f.editor), "answer", { version: 2, environment: "staging" });
    const decided = await requestReview(f.ctx(f.editor), "answer", { version: 1, environment: "staging" });
    await decideReview(f.ctx(f.approver), decided.id, { decision: "reject", comment: "not yet" });

    const o = await reviewsOverview(t.db, f.projectId);
    expect(o.pending.map((r) => r.review.id)).toEqual([waiting.id]);
    expect(o.plans.map((p) => p && [p.prompt, p.version, p.environment])).toEqual([["answer", 2, "staging"]]);
    expect(o.discussions.get(waiting.id) ?? []).toEqual([]);
    expect(o.decided.map((r) => [r.review.id, r.review.status, r.decidedByName])).toEqual([
      [decided.id, "rejected", "approver"],
    ]);
    expect(o.environments.map((e) => e.name)).toContain("production");
  });
});
