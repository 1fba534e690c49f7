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
  /** One review of a bundle release: deciding this request decides every member's (lib/release/bundles/bundle-reviews.ts). */
  bundle: { name: string; versions: Record<string, number>; deploys: boolean } | null;
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
    bundle?: string | null;
    bundleVersions?: Record<string, number> | null;
    bundleDeploys?: boolean | null;
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
    bundle: r.bundle ? { name: r.bundle, versions: r.bundleVersions ?? {}, deploys: r.bundleDeploys ?? false } : null,
  };
}

/** A bundle review's members in words ("crew/a v2, crew/b v2"), or null for a prompt's own review. */
export function bundleSummary(review: ReviewView) {
  if (!review.bundle) return null;
  const members = Object.entries(review.bundle.versions)
    .map(([n, v]) => `${n} v${v}`)
    .join(", ");
  return { ...review.bundle, members };
}

/** The review dialog's one sentence: who asked, and what deciding does now. */
export function reviewDescription(
  review: ReviewView,
  bundle: ReturnType<typeof bundleSummary>,
  cannotDeploy: boolean,
): string {
  if (bundle)
    return `Requested by ${review.requester}. One review of bundle ${bundle.name} (${bundle.members}): deciding it decides every member's request${bundle.deploys ? `, and approving releases the bundle to ${review.environment}` : ""}.`;
  if (!review.deployOnApprove) return `Requested by ${review.requester}.`;
  return `Requested by ${review.requester}; ${cannotDeploy ? `approving cannot deploy it to ${review.environment} yet (below)` : `approving deploys it to ${review.environment}`}.`;
}
