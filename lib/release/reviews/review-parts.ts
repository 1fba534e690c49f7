// What deciding a prompt's review (reviews.ts) and a bundle's review (../bundles/bundle-review-decide.ts) share: how a
// request finds the version it asks about, and when and how an approval deploys.
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { promptVersions, reviewRequests } from "../../../db/schema";
import type { AuditEntry } from "../../audit/record";
import type { DomainContext } from "../../context";
import type { decideReviewInput } from "./reviews";

type Decision = z.output<typeof decideReviewInput>;

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
