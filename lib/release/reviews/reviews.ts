// Review requests: an editor asks for a version to be reviewed for an environment; an approver who
// is neither the requester nor the version's author approves (optionally deploying) or rejects.
// Both see the version's release plan first: a request whose approval could not deploy (the version
// still misses other steps) says so and needs `acknowledgeMissing`; an approval that would deploy
// checks the whole plan inside the lock, like any promotion.
import { and, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import {
  apiKeys,
  bundleReviewMembers,
  bundleReviews,
  bundles,
  environments,
  promptVersions,
  prompts,
  reviewComments,
  reviewRequests,
  users,
} from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError, isUniqueViolation } from "../../errors";
import { parseInput, isUuid } from "../../validation";
import { withTx, actorUserId, type DomainContext } from "../../context";
import { getPrompt } from "../../registry/prompts";
import { getVersion } from "../../registry/versions";
import { versionNumber } from "../../number-params";
import { BufferedEvents } from "../../announcements";
import { bundleReviewOfRequest, cancelBundleReview, decideBundleReview } from "../bundles/bundle-review-decide";
import { environmentNameSchema, getEnvironmentRow } from "../environments";
import { missingBeyondApproval } from "../plan/plan-approval";
import { planFor } from "../plan/plan-facts";
import type { ReleasePlan } from "../plan/plan";
import { experimentActionInput } from "../composing";
import { confirmBreakingInput, confirmRolledBackInput, promoteVersion } from "../promote";
import { approvalDeploys, approvalRelease, decisionAudit, insertReviewRequest, requestedVersion } from "./review-parts";

export type ReviewRow = typeof reviewRequests.$inferSelect;

export const requestReviewInput = z.object({
  version: versionNumber(),
  environment: environmentNameSchema,
  message: z.string().max(2000, { error: "message must be at most 2000 characters" }).default(""),
  deployOnApprove: z.boolean().default(true),
  /** Request it although approving could not deploy it yet (other steps of its plan are missing). */
  acknowledgeMissing: z.boolean().default(false),
});

/** The steps an approval cannot give: everything but the review itself and the approver's confirmation of breaking changes. */
export const stepsBesidesReview = (plan: ReleasePlan) => missingBeyondApproval(plan, ["breaking"]);

export async function requestReview(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof requestReviewInput>,
): Promise<ReviewRow & { plan: ReleasePlan }> {
  const data = parseInput(requestReviewInput, input);
  const prompt = await getPrompt(ctx.db, ctx.projectId, name);
  await getVersion(ctx.db, prompt, data.version);
  const env = await getEnvironmentRow(ctx.db, ctx.projectId, data.environment);
  const requestedBy = await responsibleUser(ctx);
  try {
    // Under the prompt's lock, as a release is: the plan the requester is told about is the one the
    // request is written under, and the request and its audit row commit together.
    return await ctx.db.transaction(async (tx) => {
      await lockPrompt(tx, prompt.id);
      const plan = await planFor(tx, prompt, env, data.version);
      const blocking = stepsBesidesReview(plan);
      if (data.deployOnApprove && blocking.length && !data.acknowledgeMissing)
        throw new AppError(
          "conflict",
          `An approval could not deploy version ${data.version} to ${env.name} yet: ${blocking.map((s) => s.detail).join(" ")} Request the review anyway (acknowledgeMissing: true) to have it reviewed meanwhile, or do these first.`,
          { rule: "acknowledgeMissing", field: "acknowledgeMissing", missing: blocking.map((s) => s.id), plan },
        );
      const row = await insertReviewRequest(withTx(ctx, tx), {
        prompt: { id: prompt.id, name },
        version: data.version,
        environment: env,
        requestedBy,
        message: data.message,
        deployOnApprove: data.deployOnApprove,
      });
      return { ...row, plan };
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError(
        "conflict",
        `Version ${data.version} of ${name} already has a pending review for ${env.name}.`,
        { version: data.version, environment: env.name },
      );
    throw e;
  }
}

/** The lock every release operation on a prompt takes first (deploy() takes the same). */
async function lockPrompt(tx: Db, promptId: string) {
  await tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, promptId)).for("update");
}

/** The person behind an actor: the user, or for an API key the user who created it (four-eyes applies to them). */
export async function responsibleUser(ctx: DomainContext): Promise<string | null> {
  if (ctx.actor.type !== "api_key") return actorUserId(ctx);
  const [key] = await ctx.db.select({ createdBy: apiKeys.createdBy }).from(apiKeys).where(eq(apiKeys.id, ctx.actor.id));
  return key?.createdBy ?? null;
}

export const decideReviewInput = z.object({
  decision: z.enum(["approve", "reject"], { error: 'decision must be "approve" or "reject"' }),
  comment: z.string().max(2000, { error: "comment must be at most 2000 characters" }).default(""),
  /** For an approval of a review that deploys: confirms the changes that break the environment's callers. */
  confirmBreaking: confirmBreakingInput,
  confirmRolledBack: confirmRolledBackInput,
  /** For an approval that deploys a partial: what happens to experiments whose arms it changes. */
  experimentAction: experimentActionInput,
  /** false: approve only, even if the request asked to deploy on approval (deploy later by promoting). */
  deploy: z.boolean().optional(),
});

export async function getReview(db: Db, projectId: string, id: string) {
  if (!isUuid(id)) throw new AppError("not_found", `No review request with id ${id}.`);
  const [row] = await reviewRows(db).where(and(eq(reviewRequests.id, id), eq(prompts.projectId, projectId)));
  if (!row) throw new AppError("not_found", `No review request with id ${id}.`);
  return row;
}

/**
 * Decides a pending request (approve, reject or cancel); a conflict when it is no longer pending. Read
 * again then: a concurrent decision may have landed since `was` was read (it said "pending").
 */
async function settle(
  tx: Db,
  id: string,
  was: ReviewRow["status"],
  decision: Pick<ReviewRow, "status" | "decidedBy"> & { decisionComment?: string },
): Promise<ReviewRow> {
  const [updated] = await tx
    .update(reviewRequests)
    .set({ ...decision, decidedAt: new Date() })
    .where(and(eq(reviewRequests.id, id), eq(reviewRequests.status, "pending")))
    .returning();
  if (updated) return updated;
  const [now] = await tx
    .select({ status: reviewRequests.status })
    .from(reviewRequests)
    .where(eq(reviewRequests.id, id));
  const status = now?.status ?? was;
  throw new AppError("conflict", `This review request is already ${status}.`, { status });
}

/** Approves or rejects; an approval with deployOnApprove also deploys, in the same transaction. */
export async function decideReview(ctx: DomainContext, id: string, input: z.input<typeof decideReviewInput>) {
  const data = parseInput(decideReviewInput, input);
  // Four eyes: a review is decided by a person, never by an API key (which could approve what it requested).
  if (ctx.actor.type !== "user")
    throw new AppError(
      "forbidden",
      "Reviews are decided by a person signed in to Lectern: API keys may request reviews but never approve or reject them.",
      { actorType: ctx.actor.type },
    );
  const found = await getReview(ctx.db, ctx.projectId, id);
  // A member of a bundle's review: the decision is the bundle review's, for every member at once.
  const group = await bundleReviewOfRequest(ctx.db, id);
  if (group) return decideBundleReview(ctx, id, group, data);
  const me = ctx.actor.id;
  if (data.decision === "approve" && (found.review.requestedBy === me || found.versionAuthor === me))
    throw new AppError(
      "forbidden",
      "You cannot approve your own request or your own version (including one requested through an API key you created); another approver must review it.",
    );
  const buffer = new BufferedEvents();
  const result = await ctx.db.transaction(async (tx) => {
    const updated = await settle(tx, id, found.review.status, {
      status: data.decision === "approve" ? "approved" : "rejected",
      decidedBy: me,
      decisionComment: data.comment,
    });
    if (data.comment) await tx.insert(reviewComments).values({ reviewId: id, authorId: me, body: data.comment });
    await recordAudit(tx, decisionAudit(ctx, id, data, updated.status));
    let deployment = null;
    if (approvalDeploys(data, updated.deployOnApprove))
      // Already live there: the live deployment (nothing written).
      deployment = (
        await promoteVersion(withTx(ctx, tx, buffer), found.promptName, {
          environment: found.environment,
          version: updated.version,
          ...approvalRelease(data),
        })
      ).deployment;
    return { review: updated, deployment };
  });
  await buffer.flush(ctx.events);
  return result;
}

export async function cancelReview(ctx: DomainContext, id: string) {
  const found = await getReview(ctx.db, ctx.projectId, id);
  // Someone else's request needs "review.decide": the action's reviewCancel rule (endpoints/resource-rules.ts).
  const group = await bundleReviewOfRequest(ctx.db, id);
  if (group) return cancelBundleReview(ctx, id, group);
  return ctx.db.transaction(async (tx) => {
    const updated = await settle(tx, id, found.review.status, { status: "cancelled", decidedBy: actorUserId(ctx) });
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "review.cancel",
      objectType: "review",
      objectId: id,
    });
    return updated;
  });
}

export async function listReviews(
  db: Db,
  projectId: string,
  opts: { status?: ReviewRow["status"]; promptId?: string; limit?: number } = {},
) {
  const where: SQL[] = [eq(prompts.projectId, projectId)];
  if (opts.status) where.push(eq(reviewRequests.status, opts.status));
  if (opts.promptId) where.push(eq(reviewRequests.promptId, opts.promptId));
  return reviewRows(db)
    .where(and(...where))
    .orderBy(desc(reviewRequests.createdAt))
    .limit(Math.min(opts.limit ?? 100, 500));
}

/** Review requests with their prompt, environment, requester, version author and bundle review, if any. */
function reviewRows(db: Db) {
  return db
    .select({
      review: reviewRequests,
      promptName: prompts.name,
      environment: environments.name,
      requesterName: users.name,
      versionAuthor: promptVersions.authorId,
      // A member of a bundle's review (../bundles/bundle-reviews.ts): deciding it decides the bundle's.
      bundle: bundles.name,
      bundleReview: bundleReviews.id,
      bundleVersions: bundleReviews.versions,
      bundleDeploys: bundleReviews.deployOnApprove,
    })
    .from(reviewRequests)
    .innerJoin(prompts, eq(prompts.id, reviewRequests.promptId))
    .innerJoin(environments, eq(environments.id, reviewRequests.environmentId))
    .innerJoin(promptVersions, requestedVersion())
    .leftJoin(users, eq(users.id, reviewRequests.requestedBy))
    .leftJoin(bundleReviewMembers, eq(bundleReviewMembers.reviewId, reviewRequests.id))
    .leftJoin(bundleReviews, eq(bundleReviews.id, bundleReviewMembers.bundleReviewId))
    .leftJoin(bundles, eq(bundles.id, bundleReviews.bundleId));
}
