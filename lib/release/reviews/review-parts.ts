// What a prompt's review (reviews.ts) and a bundle's review (../bundles/bundle-reviews.ts, bundle-review-decide.ts)
// share: writing a request, how a request finds the version it asks about, and when and how an approval deploys.
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { promptVersions, reviewRequests } from "../../../db/schema";
import { recordAudit, type AuditEntry } from "../../audit/record";
import type { DomainContext } from "../../context";
import type { decideReviewInput } from "./reviews";

type Decision = z.output<typeof decideReviewInput>;

/** What a review request asks: a version of a prompt for an environment, by whom, and whether approving deploys. */
export type ReviewAsk = {
  prompt: { id: string; name: string };
  version: number;
  environment: { id: string; name: string };
  requestedBy: string | null;
  message: string;
  deployOnApprove: boolean;
};

/** Writes a review request and its review.request audit row in `ctx`'s transaction (`after`: more marks). */
export async function insertReviewRequest(
  ctx: DomainContext,
  ask: ReviewAsk,
  after: Record<string, unknown> = {},
): Promise<typeof reviewRequests.$inferSelect> {
  const [row] = await ctx.db
    .insert(reviewRequests)
    .values({
      promptId: ask.prompt.id,
      version: ask.version,
      environmentId: ask.environment.id,
      requestedBy: ask.requestedBy,
      requestedByLabel: ctx.actor.label,
      message: ask.message,
      deployOnApprove: ask.deployOnApprove,
    })
    .returning();
  await recordAudit(ctx.db, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "review.request",
    objectType: "review",
    objectId: row!.id,
    after: { prompt: ask.prompt.name, version: ask.version, environment: ask.environment.name, ...after },
  });
  return row!;
}

/** The join condition from a review request to the version it asks to have reviewed. */
export const requestedVersion = () =>
  and(eq(promptVersions.promptId, reviewRequests.promptId), eq(promptVersions.version, reviewRequests.version));

/** Whether a decision deploys: an approval of a request made to deploy on approval, unless it says `deploy: false`. */
export const approvalDeploys = (data: Decision, deployOnApprove: boolean) =>
  data.decision === "approve" && deployOnApprove && data.deploy !== false;

/** The release options an approval deploys with: the review's comment as the reason, the approver's confirmations. */
export const approvalRelease = (data: Decision) => ({
  reason: `Approved review${data.comment ? `: ${data.comment}` : ""}`,
  confirmBreaking: data.confirmBreaking,
  confirmRolledBack: data.confirmRolledBack,
  experimentAction: data.experimentAction,
});

/** The audit entry of a decision on one request (`extra`: a bundle review's marks). */
export const decisionAudit = (
  ctx: DomainContext,
  id: string,
  data: Decision,
  status: string,
  extra: Record<string, unknown> = {},
): AuditEntry => ({
  projectId: ctx.projectId,
  actor: ctx.actor,
  action: `review.${data.decision}`,
  objectType: "review",
  objectId: id,
  before: { status: "pending" },
  after: { status, comment: data.comment, ...extra },
});
