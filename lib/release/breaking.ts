// What a release would change for the applications that call a prompt in an environment, and the
// rule that a protected environment takes breaking changes only with an explicit confirmation.
// Used by the UI's release, review and promote flows; the REST API's promote is unchanged.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { environments, prompts, reviewRequests } from "../../db/schema";
import { AppError } from "../errors";
import { classifyDiff, unconfirmed, type Compatibility } from "../registry/compat";
import type { Content } from "../registry/content";
import { diffContent, type ContentDiff } from "../registry/diff";
import { getPrompt } from "../registry/prompts";
import { getVersion } from "../registry/versions";
import { liveDeployment } from "./deployments";
import { getEnvironment } from "./environments";

export interface ReleaseChanges {
  environment: { name: string; protected: boolean; requiresReview: boolean; requiresLiveIn: string | null };
  /** The version the environment serves now, if any. */
  live: number | null;
  version: number;
  /** From what is live (or from nothing) to `version`. */
  diff: ContentDiff;
  /** Empty when nothing is live: no application can depend on the prompt there yet. */
  compat: Compatibility;
}

/** What releasing `version` of a prompt to `environment` would change for its callers. */
export async function releaseChanges(
  db: Db,
  projectId: string,
  promptName: string,
  environment: string,
  version: number,
): Promise<ReleaseChanges> {
  const prompt = await getPrompt(db, projectId, promptName);
  const env = await getEnvironment(db, projectId, environment);
  const live = await liveDeployment(db, prompt.id, env.id);
  const [target, current] = await Promise.all([
    getVersion(db, prompt, version),
    live ? getVersion(db, prompt, live.version) : null,
  ]);
  const diff = diffContent((current?.content as Content | undefined) ?? null, target.content as Content);
  return {
    environment: {
      name: env.name,
      protected: env.protected,
      requiresReview: env.requiresReview,
      requiresLiveIn: env.requiresLiveIn,
    },
    live: live?.version ?? null,
    version,
    diff,
    compat: current ? classifyDiff(diff) : { breaking: [], compatible: [] },
  };
}

export const confirmedBreakingInput = z.array(z.string().max(200)).max(200).default([]);

/**
 * Throws unless every breaking change of a release to a protected environment is among the
 * confirmed keys (the keys the person saw and accepted). Unprotected environments need none.
 */
export function requireBreakingConfirmed(changes: ReleaseChanges, confirmed: readonly string[]): void {
  if (!changes.environment.protected) return;
  const left = unconfirmed(changes.compat, confirmed);
  if (!left.length) return;
  const env = changes.environment.name;
  throw new AppError(
    "invalid_input",
    `Version ${changes.version} has ${left.length === 1 ? "a change" : `${left.length} changes`} that break${left.length === 1 ? "s" : ""} applications using ${env}: ${left.map((c) => c.message).join(" ")} Confirm ${left.length === 1 ? "it" : "them"} to release to ${env}.`,
    { field: "confirmBreaking", breaking: left.map((c) => c.key) },
  );
}

/** The release a pending review would make when approved (null when approving deploys nothing). */
export async function reviewRelease(
  db: Db,
  projectId: string,
  reviewId: string,
): Promise<{ prompt: string; environment: string; version: number } | null> {
  if (!z.uuid().safeParse(reviewId).success) return null;
  const [row] = await db
    .select({
      prompt: prompts.name,
      environment: environments.name,
      version: reviewRequests.version,
      deployOnApprove: reviewRequests.deployOnApprove,
      status: reviewRequests.status,
    })
    .from(reviewRequests)
    .innerJoin(prompts, eq(prompts.id, reviewRequests.promptId))
    .innerJoin(environments, eq(environments.id, reviewRequests.environmentId))
    .where(and(eq(reviewRequests.id, reviewId), eq(prompts.projectId, projectId)));
  if (!row || !row.deployOnApprove || row.status !== "pending") return null;
  return { prompt: row.prompt, environment: row.environment, version: row.version };
}
