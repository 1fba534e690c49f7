"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  createBundle,
  createBundleInput,
  releaseBundle,
  releaseBundleInput,
  rollbackBundle,
  rollbackBundleInput,
} from "@/lib/release/bundles";
import { bundlePlans } from "@/lib/release/bundle-reads";
import { requestBundleReview, requestBundleReviewInput } from "@/lib/release/bundle-reviews";
import { projectAction, type ActionContext } from "@/lib/server/http/action";
import { getEvents } from "@/lib/server/wiring/events";

// Bundle actions: thin callers of lib/release/bundles.ts with the REST API's input schemas, plus the
// bundle's name, which the API takes from the path.

const domain = async (c: ActionContext) => ({
  db: c.db,
  actor: c.actor,
  projectId: c.project.id,
  events: await getEvents(),
});
const refresh = (c: ActionContext) => revalidatePath(`/${c.project.slug}`, "layout");
const name = z.string().min(1).max(100);

export const createBundleAction = projectAction(createBundleInput, async (c, input) => {
  const b = await createBundle(await domain(c), input);
  refresh(c);
  return { name: b.name };
});

/** Every member's release plan for the versions chosen in the form (nothing is written). */
export const bundlePlanAction = projectAction(
  releaseBundleInput.pick({ environment: true, versions: true }).extend({ name }),
  async (c, input) => bundlePlans(c.db, c.project.id, input.name, input.environment, input.versions),
);

export const releaseBundleAction = projectAction(releaseBundleInput.extend({ name }), async (c, { name, ...input }) => {
  const r = await releaseBundle(await domain(c), name, input);
  refresh(c);
  return { id: r.id };
});

export const rollbackBundleAction = projectAction(
  rollbackBundleInput.extend({ name }),
  async (c, { name, ...input }) => {
    const r = await rollbackBundle(await domain(c), name, input);
    refresh(c);
    return { id: r.id, versions: r.versions };
  },
);

export const requestBundleReviewAction = projectAction(
  requestBundleReviewInput.extend({ name }),
  async (c, { name, ...input }) => {
    const r = await requestBundleReview(await domain(c), name, input);
    refresh(c);
    return { id: r.id, members: r.reviews.map((m) => m.prompt) };
  },
);
