// Plain shapes the prompt page hands to its client components.
export type VersionOption = { version: number; commitMessage: string; status: "draft" | "testing" | "production" | "archived"; liveIn: string[]; wasLiveIn: string[] };
export type EnvironmentView = {
  name: string;
  protected: boolean;
  requiresReview: boolean;
  requiresLiveIn: string | null;
  live: { version: number; at: string; action: string; by: string } | null;
  /** The version served before the current one: the default rollback target. */
  previous: number | null;
};
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
