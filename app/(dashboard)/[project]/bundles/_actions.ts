"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createBundle, createBundleInput, releaseBundle, releaseBundleInput } from "@/lib/release/bundles/bundles";
import { rollbackBundle, rollbackBundleInput } from "@/lib/release/bundles/bundle-rollback";
import { bundlePlans, bundleReleaseDto, bundleView } from "@/lib/release/bundles/bundle-reads";
import { createBundleRollout, createBundleRolloutInput } from "@/lib/experiments/rollouts/bundle-rollouts";
import { actOnRollout, rolloutActions, rolloutAdvanceInput } from "@/lib/experiments/rollouts/rollout-control";
import {
  requestBundleReview,
  requestBundleReviewInput,
  requestedBundleReviewDto,
} from "@/lib/release/bundles/bundle-reviews";
import { actionFrom, projectAction, type ActionContext } from "@/lib/server/actions/action";
import * as bundles from "@/lib/server/http/endpoints/bundles";
import * as rolloutsEndpoints from "@/lib/server/http/endpoints/rollouts";

// Bundle actions: thin callers of lib/release/bundles/bundles.ts (and of lib/experiments for the bundle's guarded
// rollouts) with the REST API's input schemas, plus the bundle's name, which the API takes from the path.

const refresh = (c: ActionContext) => revalidatePath(`/${c.project.slug}`, "layout");
const name = z.string().min(1).max(100);
/** The moves on a rollout, one endpoint each (they declare one permission). */
const rolloutMoves = [
  rolloutsEndpoints.pauseRollout,
  rolloutsEndpoints.resumeRollout,
  rolloutsEndpoints.advanceRollout,
  rolloutsEndpoints.rollbackRollout,
] as const;

export const createBundleAction = actionFrom(bundles.createBundle, createBundleInput, async (c, input) => {
  const b = await createBundle(c.domain, input);
  refresh(c);
  return bundleView(c.db, c.project.id, b.name);
});

/** Every member's release plan for the versions chosen in the form (nothing is written). */
export const bundlePlanAction = projectAction(
  "prompt.read",
  releaseBundleInput.pick({ environment: true, versions: true }).extend({ name }),
  async (c, input) => bundlePlans(c.db, c.project.id, input.name, input.environment, input.versions),
);

export const releaseBundleAction = actionFrom(
  bundles.releaseBundle, // its resource rule: a protected environment needs deploy.protected
  releaseBundleInput.extend({ name }),
  async (c, { name, ...input }) => {
    const r = await releaseBundle(c.domain, name, input);
    refresh(c);
    return { release: bundleReleaseDto(r, input.environment) };
  },
);

export const rollbackBundleAction = actionFrom(
  bundles.rollbackBundle,
  rollbackBundleInput.extend({ name }),
  async (c, { name, ...input }) => {
    const r = await rollbackBundle(c.domain, name, input);
    refresh(c);
    return { release: bundleReleaseDto(r, input.environment) };
  },
);

export const requestBundleReviewAction = actionFrom(
  bundles.requestBundleReview,
  requestBundleReviewInput.extend({ name }),
  async (c, { name, ...input }) => {
    const r = await requestBundleReview(c.domain, name, input);
    refresh(c);
    return requestedBundleReviewDto(r);
  },
);

/**
 * Starts the bundle's guarded rollout with the versions chosen in the release form (bundle-rollouts.ts):
 * every member it changes ramps with one share; each one's release plan must be met, as for a release.
 */
export const startBundleRolloutAction = actionFrom(
  bundles.createBundleRollout,
  createBundleRolloutInput.extend({ name }),
  async (c, { name, ...input }) => {
    const rollout = await createBundleRollout(c.domain, name, input);
    refresh(c);
    return { rollout };
  },
);

/** A person's move on the bundle's rollout, with their reason: a move on any member moves the whole group. */
export const bundleRolloutControlAction = actionFrom(
  rolloutMoves,
  rolloutAdvanceInput.extend({ id: z.string().min(1).max(64), action: z.enum(rolloutActions) }),
  async (c, { id, action, ...input }) => {
    const rollout = await actOnRollout(c.domain, id, action, input);
    refresh(c);
    return { rollout };
  },
);
