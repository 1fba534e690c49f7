// Plain JSON shapes for release rows, and the response schemas of the answers made of them (checked by the
// API wrapper when LECTERN_CHECK_RESPONSES is on; see lib/registry/dto.ts).
import { z } from "zod";
import { deploymentActionEnum } from "../../db/schema";
import { placedVersionSchema, promptSchema, storedContentFields, versionDto, versionSchema } from "../registry/dto";
import type { VersionRow } from "../registry/versions";
import type { DeploymentRow } from "./deployments";
import type { ReviewRow } from "./reviews/reviews";
import type { DraftRow } from "./drafts/drafts";
import type { BundleReleaseRow } from "./bundles/bundles";

const instant = z.iso.datetime({ offset: true });

export const deploymentSchema = z.object({
  id: z.number().int(),
  environment: z.string(),
  version: z.number().int().min(1),
  action: z.enum(deploymentActionEnum.enumValues),
  actor: z.string(),
  reason: z.string(),
  at: instant,
});

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

/** One event of a guarded rollout as the release log shows it: the share of the new version before and after. */
export const rolloutEntrySchema = z.object({
  kind: z.literal("rollout"),
  rollout: z.string(),
  event: z.enum(["started", "step", "paused", "resumed", "rolled_back", "completed", "stopped"]),
  environment: z.string(),
  version: z.number().int().min(1),
  fromPercent: z.number(),
  toPercent: z.number(),
  actor: z.string(),
  automatic: z.boolean(),
  reason: z.string(),
  /** A rollback by the guardrails: the metric that regressed first. */
  metric: z.string().nullable(),
  at: instant,
});

/** The release log: deployments and guarded rollouts' events, newest first. */
export const releaseLogEntrySchema = z.discriminatedUnion("kind", [
  deploymentSchema.extend({ kind: z.literal("deployment") }),
  rolloutEntrySchema,
]);

/**
 * GET /api/v1/prompts/{name}/deployments: the history (`data`, deployments only, as before; `entries`, the same
 * interleaved with the guarded rollouts' events), or with ?at= what each environment served then.
 */
export const deploymentsResponse = z.union([
  z.object({ data: z.array(deploymentSchema), entries: z.array(releaseLogEntrySchema) }),
  z.object({ at: instant, live: z.record(z.string(), deploymentSchema.nullable()) }),
]);

/** GET /api/v1/prompts/{name}: the prompt, its latest version and what each environment serves. */
export const promptDetailResponse = z.object({
  prompt: promptSchema,
  latestVersion: placedVersionSchema,
  environments: z.record(
    z.string(),
    z.object({ version: z.number().int(), since: instant, action: z.string(), protected: z.boolean() }).nullable(),
  ),
  /** Version labels: label → the version it names, since when, moved by whom. */
  versionLabels: z.record(z.string(), z.object({ version: z.number().int(), since: instant, by: z.string() })),
});

const _deployment: (d: DeploymentRow, environment: string) => z.input<typeof deploymentSchema> = deploymentDto;
void _deployment;

/** A release plan (plan/plan.ts ReleasePlan): its status, each step and whether it is met, and what is missing. */
export const releasePlanSchema = z.object({
  prompt: z.string(),
  version: z.number().int(),
  environment: z.string(),
  live: z.number().int().nullable(),
  status: z.enum(["live", "ready", "blocked"]),
  steps: z.array(
    z.object({
      id: z.string(),
      met: z.boolean(),
      title: z.string(),
      detail: z.string(),
      action: z.object({ kind: z.string() }).nullable(),
    }),
  ),
  missing: z.array(z.string()),
  notices: z.array(z.object({ kind: z.string(), message: z.string() })),
  dependents: z.array(z.object({ met: z.boolean(), steps: z.array(z.unknown()) })),
  summary: z.string(),
});

export const reviewSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  version: z.number().int().min(1),
  environment: z.string(),
  status: z.enum(["pending", "approved", "rejected", "cancelled"]),
  message: z.string(),
  deployOnApprove: z.boolean(),
  requestedBy: z.string(),
  decisionComment: z.string().nullable(),
  decidedAt: instant.nullable(),
  createdAt: instant,
});

/** GET /api/v1/prompts/{name}/reviews */
export const reviewListResponse = z.object({ data: z.array(reviewSchema) });

/** POST /api/v1/prompts/{name}/reviews: the request, with the version's release plan. */
export const reviewRequestResponse = reviewSchema.extend({ plan: releasePlanSchema });

/** POST /api/v1/reviews/{id}: the decision, what it deployed, and for a bundle's review the bundle's release. */
export const reviewDecisionResponse = z.object({
  id: z.string(),
  status: z.enum(["pending", "approved", "rejected", "cancelled"]),
  deployed: z.object({ version: z.number().int(), at: instant }).nullable(),
  bundleRelease: z.object({ id: z.number().int(), versions: z.record(z.string(), z.number().int()) }).optional(),
});

/** A review requested (requestReview: the row and its plan) as POST /api/v1/prompts/{name}/reviews answers it. */
export const requestedReviewDto = <P>(
  { plan, ...r }: ReviewRow & { plan: P },
  e: { prompt: string; environment: string },
) => ({ ...reviewDto(r, e), plan });

/** A review decided (decideReview) as POST /api/v1/reviews/{id} answers it. */
export function decidedReviewDto(decided: {
  review: ReviewRow;
  deployment: DeploymentRow | null;
}): z.input<typeof reviewDecisionResponse> {
  const { review, deployment } = decided;
  const bundleRelease = (decided as { bundleRelease?: BundleReleaseRow | null }).bundleRelease ?? null;
  return {
    id: review.id,
    status: review.status,
    deployed: deployment ? { version: deployment.version, at: deployment.createdAt.toISOString() } : null,
    // A member of a bundle's review: the approval released the bundle (every member's request is decided).
    ...(bundleRelease && { bundleRelease: { id: bundleRelease.id, versions: bundleRelease.versions } }),
  };
}

/** A draft's content as stored: a version's content (lib/registry/content.ts), not checked again. */
const draftContentSchema = z.object(storedContentFields);

export const draftSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string().nullable(),
  baseVersion: z.number().int(),
  content: draftContentSchema,
  mergedVersion: z.number().int().nullable(),
  closed: z.boolean(),
  createdAt: instant,
  updatedAt: instant,
});

/** GET /api/v1/prompts/{name}/drafts */
export const draftListResponse = z.object({ data: z.array(draftSchema) });

/** A content diff (lib/registry/changes/diff.ts ContentDiff). */
const contentDiffSchema = z.object({
  pieces: z.array(z.unknown()),
  config: z.array(z.unknown()),
  variables: z.array(z.unknown()),
  typeChanged: z.boolean(),
  summary: z.array(z.string()),
});

/** GET /api/v1/drafts/{id}: the draft, its base and the latest version, and its diffs against both. */
export const draftDetailResponse = draftSchema.extend({
  base: z.object({ version: z.number().int(), content: draftContentSchema }),
  latest: z.object({ version: z.number().int(), content: draftContentSchema }),
  diffAgainstBase: contentDiffSchema,
  diffAgainstLatest: contentDiffSchema,
});

/** DELETE /api/v1/drafts/{id} */
export const draftDiscardResponse = z.object({ id: z.string(), discarded: z.literal(true) });

/** POST /api/v1/drafts/{id}/merge: the new version, whether the merge was three-way, and the save's warnings. */
export const draftMergeResponse = z.object({
  version: z.number().int(),
  threeWay: z.boolean(),
  warnings: z.array(z.string()),
  data: versionSchema,
});

/** A merge (mergeDraft) as POST /api/v1/drafts/{id}/merge answers it. */
export const mergedDraftDto = (r: { version: VersionRow; threeWay: boolean; warnings: string[] }) => ({
  version: r.version.version,
  threeWay: r.threeWay,
  warnings: r.warnings,
  data: versionDto(r.version, { withDiff: true }),
});

const _review: (r: ReviewRow, e: { prompt: string; environment: string }) => z.input<typeof reviewSchema> = reviewDto;
const _draft: (d: DraftRow) => z.input<typeof draftSchema> = draftDto;
void [_review, _draft];

/**
 * POST /api/v1/prompts/{name}/deployments and …/rollback: the deployment written (201), or, when the
 * environment served that version already, the live one with `unchanged: true` (200; nothing was written).
 */
export const deployOutcomeResponse = deploymentSchema.extend({ unchanged: z.literal(true).optional() });

/** A promotion's or rollback's outcome (deployments.ts, DeployOutcome) as the API answers it. */
export const deployOutcomeDto = (
  o: { status: "deployed" | "already_live"; deployment: DeploymentRow },
  environment: string,
): z.input<typeof deployOutcomeResponse> =>
  o.status === "deployed"
    ? deploymentDto(o.deployment, environment)
    : { ...deploymentDto(o.deployment, environment), unchanged: true };
