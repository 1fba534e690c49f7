// Deciding one review of a bundle release (bundle-reviews.ts): a decision on any member's request is a
// decision on all of them, in one transaction — four eyes hold for every member (the approver is neither
// the requester nor the author of any member's version) — and an approval with deployOnApprove releases
// the bundle with the reviewed versions in the same transaction, through releaseBundle, so every member's
// plan (now with its approved review) is checked under the bundle's locks. Cancelling one cancels all.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../db/client";
import {
  bundleReviewMembers,
  bundleReviews,
  bundles,
  environments,
  promptVersions,
  prompts,
  reviewComments,
  reviewRequests,
} from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import { withTx, actorUserId, type DomainContext } from "../../context";
import { BufferedEvents } from "../../announcements";
import { releaseBundle, type BundleReleaseRow } from "./bundles";
import { approvalDeploys, approvalRelease, decisionAudit, requestedVersion } from "../reviews/review-parts";
import type { decideReviewInput } from "../reviews/reviews";

type ReviewRequestRow = typeof reviewRequests.$inferSelect;

export type BundleReviewGroup = {
  id: string;
  bundle: string;
  environment: string;
  versions: Record<string, number>;
  deployOnApprove: boolean;
  members: { id: string; prompt: string; version: number; requestedBy: string | null; author: string | null }[];
};

/** The member requests of these bundle reviews, by prompt name: their review, version, status, requester and author. */
export async function bundleReviewMembersOf(db: Db, groupIds: string[]) {
  return db
    .select({
      group: bundleReviewMembers.bundleReviewId,
      id: reviewRequests.id,
      prompt: prompts.name,
      version: reviewRequests.version,
      status: reviewRequests.status,
      requestedBy: reviewRequests.requestedBy,
      author: promptVersions.authorId,
    })
    .from(bundleReviewMembers)
    .innerJoin(reviewRequests, eq(reviewRequests.id, bundleReviewMembers.reviewId))
    .innerJoin(prompts, eq(prompts.id, reviewRequests.promptId))
    .innerJoin(promptVersions, requestedVersion())
    .where(inArray(bundleReviewMembers.bundleReviewId, groupIds))
    .orderBy(asc(prompts.name));
}

/** The bundle review a review request belongs to, with all its members; null for a prompt's own review. */
export async function bundleReviewOfRequest(db: Db, reviewId: string): Promise<BundleReviewGroup | null> {
  const [link] = await db
    .select({ group: bundleReviews, bundle: bundles.name, environment: environments.name })
    .from(bundleReviewMembers)
    .innerJoin(bundleReviews, eq(bundleReviews.id, bundleReviewMembers.bundleReviewId))
    .innerJoin(bundles, eq(bundles.id, bundleReviews.bundleId))
    .innerJoin(environments, eq(environments.id, bundleReviews.environmentId))
    .where(eq(bundleReviewMembers.reviewId, reviewId));
  if (!link) return null;
  const members = (await bundleReviewMembersOf(db, [link.group.id])).map(
    ({ id, prompt, version, requestedBy, author }) => ({ id, prompt, version, requestedBy, author }),
  );
  return {
    id: link.group.id,
    bundle: link.bundle,
    environment: link.environment,
    versions: link.group.versions,
    deployOnApprove: link.group.deployOnApprove,
    members,
  };
}

/** Marks every member request decided; a conflict when one was decided (or cancelled) meanwhile. */
async function decideAll(
  tx: Db,
  group: BundleReviewGroup,
  status: "approved" | "rejected" | "cancelled",
  by: string | null,
  comment: string | null,
) {
  const ids = group.members.map((m) => m.id);
  const updated = await tx
    .update(reviewRequests)
    .set({ status, decidedBy: by, decisionComment: comment, decidedAt: new Date() })
    .where(and(inArray(reviewRequests.id, ids), eq(reviewRequests.status, "pending")))
    .returning();
  if (updated.length !== ids.length) {
    const done = new Set(updated.map((r) => r.id));
    const [other] = await tx
      .select({ status: reviewRequests.status })
      .from(reviewRequests)
      .where(
        inArray(
          reviewRequests.id,
          ids.filter((i) => !done.has(i)),
        ),
      );
    const was = other?.status ?? "decided";
    throw new AppError("conflict", `This review of bundle ${group.bundle} is already ${was}.`, { status: was });
  }
  return updated;
}

/** A decision on one member's request is the bundle review's: every member at once (../reviews/reviews.ts calls this). */
export async function decideBundleReview(
  ctx: DomainContext,
  id: string,
  group: BundleReviewGroup,
  data: z.output<typeof decideReviewInput>,
): Promise<{ review: ReviewRequestRow; deployment: null; bundleRelease: BundleReleaseRow | null }> {
  const me = actorUserId(ctx);
  const mine = group.members.filter((m) => m.requestedBy === me || m.author === me);
  if (data.decision === "approve" && mine.length)
    throw new AppError(
      "forbidden",
      `You cannot approve this review of bundle ${group.bundle}: you requested it or wrote ${mine.map((m) => `${m.prompt} version ${m.version}`).join(", ")}; another approver must review it.`,
    );
  const buffer = new BufferedEvents();
  const result = await ctx.db.transaction(async (tx) => {
    const updated = await decideAll(tx, group, data.decision === "approve" ? "approved" : "rejected", me, data.comment);
    for (const row of updated) {
      if (data.comment) await tx.insert(reviewComments).values({ reviewId: row.id, authorId: me, body: data.comment });
      await recordAudit(
        tx,
        decisionAudit(ctx, row.id, data, row.status, { bundle: group.bundle, bundleReview: group.id }),
      );
    }
    const release = approvalDeploys(data, group.deployOnApprove)
      ? await releaseBundle(withTx(ctx, tx, buffer), group.bundle, {
          environment: group.environment,
          versions: group.versions,
          ...approvalRelease(data),
        })
      : null;
    return { review: updated.find((r) => r.id === id)!, deployment: null, bundleRelease: release };
  });
  await buffer.flush(ctx.events);
  return result;
}

/** Cancelling one member's request cancels the bundle review (../reviews/reviews.ts calls this). */
export async function cancelBundleReview(
  ctx: DomainContext,
  id: string,
  group: BundleReviewGroup,
): Promise<ReviewRequestRow> {
  return ctx.db.transaction(async (tx) => {
    const updated = await decideAll(tx, group, "cancelled", actorUserId(ctx), null);
    for (const row of updated)
      await recordAudit(tx, {
        projectId: ctx.projectId,
        actor: ctx.actor,
        action: "review.cancel",
        objectType: "review",
        objectId: row.id,
        after: { bundle: group.bundle, bundleReview: group.id },
      });
    return updated.find((r) => r.id === id)!;
  });
}
