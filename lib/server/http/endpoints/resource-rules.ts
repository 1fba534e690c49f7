// The resource rules the endpoints declare (../endpoint.ts, `resource`): what the row an operation acts on needs
// beyond the endpoint's permission, checked once by the wrapper (`route`, `actionFrom`) before the operation runs.
// A row the input names that does not exist needs nothing here: the operation answers its own not_found.
import "server-only";
import { deployPermission } from "@/lib/auth/permissions";
import { actorUserId, type DomainContext } from "@/lib/context";
import { isAppError } from "@/lib/errors";
import { getRolloutExperiment } from "@/lib/experiments/rollouts/rollout-reads";
import { getEnvironmentRow } from "@/lib/release/environments";
import { rememberRequestEnvironment } from "@/lib/release/request-environments";
import { getReview } from "@/lib/release/reviews/reviews";
import { resourceRule, type ResourceInput } from "../endpoint";

/** The row, or undefined when the input names none that exists (or names it in a shape the operation refuses). */
async function found<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") return undefined;
    throw e;
  }
}

/** The environment the input names, remembered for the operation the wrapper runs next (not read again there). */
async function environmentOf(ctx: DomainContext, input: ResourceInput) {
  if (typeof input.environment !== "string") return undefined;
  const row = await found(() => getEnvironmentRow(ctx.db, ctx.projectId, input.environment as string));
  if (row) rememberRequestEnvironment(ctx, row);
  return row;
}

/** Deploying into a protected environment needs "deploy.protected" (a promotion, a bundle's release, a rollout's start). */
export const deployTarget = resourceRule("the environment deployed into (input.environment)", environmentOf, (env) =>
  deployPermission(env),
);

/** A move on a rollout (pause, resume, advance, roll back) deploys into its environment: that environment's rule. */
export const rolloutTarget = resourceRule(
  "the environment of the rollout moved (input.id)",
  async (ctx, input) => {
    if (typeof input.id !== "string") return undefined;
    const rollout = await found(() => getRolloutExperiment(ctx.db, ctx.projectId, input.id as string));
    return rollout && found(() => getEnvironmentRow(ctx.db, ctx.projectId, rollout.environment));
  },
  (env) => deployPermission(env),
);

/** A review cancelled by someone other than its requester needs "review.decide". */
export const reviewCancel = resourceRule(
  "the review cancelled (input.id) and who requested it",
  (ctx, input) =>
    typeof input.id === "string"
      ? found(() => getReview(ctx.db, ctx.projectId, input.id as string))
      : Promise.resolve(undefined),
  (found, ctx) => (found.review.requestedBy === actorUserId(ctx) ? null : "review.decide"),
);
