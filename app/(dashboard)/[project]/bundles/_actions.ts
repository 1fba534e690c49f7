"use server";

import { z } from "zod";
import { createBundle, createBundleInput, releaseBundle, releaseBundleInput } from "@/lib/release/bundles/bundles";
import { rollbackBundle, rollbackBundleInput } from "@/lib/release/bundles/bundle-rollback";
import { bundlePlans, bundleReleaseDto, getBundle } from "@/lib/release/bundles/bundle-reads";
import { createBundleRollout, createBundleRolloutInput } from "@/lib/experiments/rollouts/bundle-rollouts";
import {
  requestBundleReview,
  requestBundleReviewInput,
  requestedBundleReviewDto,
} from "@/lib/release/bundles/bundle-reviews";
import { actionFrom, projectAction } from "@/lib/server/actions/action";
import { keyed, refreshProject as refresh } from "../_action-bodies";
import * as bundles from "@/lib/server/http/endpoints/bundles";

// Bundle actions: thin callers of lib/release/bundles/bundles.ts (and of lib/experiments for the bundle's guarded
// rollouts) with the REST API's input schemas, plus the bundle's name, which the API takes from the path.

const name = z.string().min(1).max(100);

export const createBundleAction = actionFrom(bundles.createBundle, createBundleInput, async (c, input) => {
  const b = await createBundle(c.domain, input);
  refresh(c);
  return getBundle(c.db, c.project.id, b.name);
});

/** Every member's release plan for the versions chosen in the form (nothing is written). */
export const bundlePlanAction = projectAction(
  "prompt.read",
  releaseBundleInput.pick({ environment: true, versions: true }).extend({ name }),
  async (c, input) => bundlePlans(c.db, c.project.id, input.name, input.environment, input.versions),
);

/** A release or rollback as the API answers it: what each member's environment serves now. */
const released = (r: Parameters<typeof bundleReleaseDto>[0], input: { environment: string }) => ({
  release: bundleReleaseDto(r, input.environment),
});

export const releaseBundleAction = actionFrom(
  bundles.releaseBundle, // its resource rule: a protected environment needs deploy.protected
  releaseBundleInput.extend({ name }),
  keyed("name", releaseBundle, released),
);

export const rollbackBundleAction = actionFrom(
  bundles.rollbackBundle,
  rollbackBundleInput.extend({ name }),
  keyed("name", rollbackBundle, released),
);

export const requestBundleReviewAction = actionFrom(
  bundles.requestBundleReview,
  requestBundleReviewInput.extend({ name }),
  keyed("name", requestBundleReview, requestedBundleReviewDto),
);

/**
 * Starts the bundle's guarded rollout with the versions chosen in the release form (bundle-rollouts.ts):
 * every member it changes ramps with one share; each one's release plan must be met, as for a release.
 */
export const startBundleRolloutAction = actionFrom(
  bundles.createBundleRollout,
  createBundleRolloutInput.extend({ name }),
  keyed("name", createBundleRollout, (rollout) => ({ rollout })),
);
