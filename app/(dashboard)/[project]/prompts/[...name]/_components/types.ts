// Plain shapes the prompt page hands to its client components.
export type { EnvironmentView, VersionOption } from "@/lib/views/prompt-overview";
export type ReleaseMode = "promote" | "rollback" | "review";
export type ReviewView = {
  id: string;
  prompt: string;
  version: number;
  environment: string;
  message: string;
  requester: string;
  createdAt: string;
  deployOnApprove: boolean;
  /** Why the current user cannot approve this one (their own request or version), if so. */
  ownReason: string | null;
  mayCancel: boolean;
};

/** A review row as the current user sees it: whether they may approve it, and why not. */
export function reviewView(
  r: {
    review: {
      id: string;
      version: number;
      message: string;
      requestedBy: string | null;
      requestedByLabel: string;
      createdAt: Date;
      deployOnApprove: boolean;
    };
    promptName: string;
    environment: string;
    requesterName: string | null;
    versionAuthor: string | null;
  },
  userId: string,
  decideBlocked: string | null,
): ReviewView {
  return {
    id: r.review.id,
    prompt: r.promptName,
    version: r.review.version,
    environment: r.environment,
    message: r.review.message,
    requester: r.requesterName ?? r.review.requestedByLabel,
    createdAt: r.review.createdAt.toISOString(),
    deployOnApprove: r.review.deployOnApprove,
    ownReason:
      r.review.requestedBy === userId
        ? "You requested this review; another approver must approve it."
        : r.versionAuthor === userId
          ? "You wrote this version; another approver must approve it."
          : null,
    mayCancel: r.review.requestedBy === userId || !decideBlocked,
  };
}
