// The reviews page (read model): the pending reviews with what each version still needs besides the approval
// and its discussion, the recently decided ones with who decided, and the environments. The page renders it.
import type { Db } from "../../db/client";
import { listMembers } from "../auth/projects";
import { reviewDiscussions } from "../release/reviews/comments";
import { listEnvironmentRows } from "../release/environments";
import { planByName } from "../release/plan/plan-facts";
import { listReviews } from "../release/reviews/reviews";

/** Plans are worked out for this many pending reviews at most (each is a few queries). */
const plannedReviews = 50;

export async function reviewsOverview(db: Db, projectId: string) {
  const [pending, recent, members, envRows] = await Promise.all([
    listReviews(db, projectId, { status: "pending", limit: 200 }),
    listReviews(db, projectId, { limit: 30 }),
    listMembers(db, projectId),
    listEnvironmentRows(db, projectId),
  ]);
  const memberName = new Map(members.map((m) => [m.userId, m.name || m.email]));
  const [plans, discussions] = await Promise.all([
    // What each version still needs besides the approval: said on the page, before anyone opens it.
    Promise.all(
      pending
        .slice(0, plannedReviews)
        .map((r) => planByName(db, projectId, r.promptName, r.environment, r.review.version).catch(() => null)),
    ),
    reviewDiscussions(
      db,
      projectId,
      pending.map((r) => r.review.id),
    ),
  ]);
  return {
    pending,
    plans,
    discussions,
    decided: recent
      .filter((r) => r.review.status !== "pending")
      .slice(0, 15)
      .map((r) => ({
        ...r,
        decidedByName: r.review.decidedBy ? (memberName.get(r.review.decidedBy) ?? "a former member") : "someone",
      })),
    environments: envRows.map((e) => ({ name: e.name, protected: e.protected })),
  };
}
