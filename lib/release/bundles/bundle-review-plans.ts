// What approving a bundle's review would release (docs/decisions/bundles.md): every member's release plan for the
// review's versions and environment, and the changes that break the environment's callers member by member, read
// from each plan's breaking step (../plan/plan.ts holds the rule; nothing here recomputes it). The review dialog
// lists them and asks for one confirmation; approving sends their keys (confirmBreaking), which the bundle
// release hands to every member's plan (bundle-review-decide.ts → releaseBundle).
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { bundleReviewMembers, bundleReviews, bundles, environments } from "../../../db/schema";
import { AppError } from "../../errors";
import { bundlePlans } from "./bundle-reads";
import { breakingByMember } from "./bundle-breaking";
import { isUuid } from "../../validation";

export { breakingByMember, breakingKeys, type MemberBreaking } from "./bundle-breaking";

/**
 * The bundle review a member's review request belongs to, in this project, with every member's plan and
 * the breaking changes among them; 404 when the request is no bundle review's (or not this project's).
 */
export async function bundleReviewPlans(db: Db, projectId: string, reviewId: string) {
  const missing = () => new AppError("not_found", `No bundle review with a review request ${reviewId}.`);
  if (!isUuid(reviewId)) throw missing();
  const [group] = await db
    .select({ bundle: bundles.name, environment: environments.name, versions: bundleReviews.versions })
    .from(bundleReviewMembers)
    .innerJoin(bundleReviews, eq(bundleReviews.id, bundleReviewMembers.bundleReviewId))
    .innerJoin(bundles, eq(bundles.id, bundleReviews.bundleId))
    .innerJoin(environments, eq(environments.id, bundleReviews.environmentId))
    .where(and(eq(bundleReviewMembers.reviewId, reviewId), eq(bundles.projectId, projectId)));
  if (!group) throw missing();
  const plans = await bundlePlans(db, projectId, group.bundle, group.environment, group.versions);
  return { ...group, plans, breaking: breakingByMember(plans) };
}
