// Plain JSON shapes for release rows, and the response schemas of the answers made of them (checked by the
// API wrapper when LECTERN_CHECK_RESPONSES is on; see lib/registry/dto.ts).
import { z } from "zod";
import { deploymentActionEnum } from "../../db/schema";
import { placedVersionSchema, promptSchema } from "../registry/dto";
import type { DeploymentRow } from "./deployments";
import type { ReviewRow } from "./reviews";
import type { DraftRow } from "./drafts";

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

/** One event of a guarded rollout as the release log shows it (issue 43): the share of the new version before and after. */
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
});

const _deployment: (d: DeploymentRow, environment: string) => z.input<typeof deploymentSchema> = deploymentDto;
void _deployment;
