// Plain JSON shapes for release rows.
import type { DeploymentRow } from "./deployments";
import type { ReviewRow } from "./reviews";
import type { DraftRow } from "./drafts";

export const deploymentDto = (d: DeploymentRow, environment: string, actorName?: string | null) => ({
  id: d.id,
  environment,
  version: d.version,
  action: d.action,
  actor: actorName ?? d.actorLabel,
  reason: d.reason,
  at: d.createdAt.toISOString(),
});

export const reviewDto = (r: ReviewRow, extra: { prompt: string; environment: string; requester?: string | null }) => ({
  id: r.id,
  prompt: extra.prompt,
  version: r.version,
  environment: extra.environment,
  status: r.status,
  message: r.message,
  deployOnApprove: r.deployOnApprove,
  requestedBy: extra.requester ?? r.requestedByLabel,
  decisionComment: r.decisionComment,
  decidedAt: r.decidedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

export const draftDto = (d: DraftRow, owner?: string | null) => ({
  id: d.id,
  name: d.name,
  owner: owner ?? null,
  baseVersion: d.baseVersion,
  content: d.content,
  mergedVersion: d.mergedVersion,
  closed: d.closedAt !== null,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});
