// GET /api/v1/bundles/{name}/reviews: the bundle's reviews, newest first. POST {environment, versions, message?,
// deployOnApprove?, acknowledgeMissing?}: one review for every member that changes (deciding any decides all,
// through POST /api/v1/reviews/{id}). Admin key.
import { bundleReviewsOf, requestBundleReview, requestBundleReviewInput } from "@/lib/release/bundle-reviews";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) =>
  json({ reviews: await bundleReviewsOf(db, project.id, params.name!) }),
);

export const POST = withApiKey(
  "admin",
  { body: requestBundleReviewInput },
  async ({ db, actor, project, params, body }) => {
    const { plans, ...review } = await requestBundleReview({ db, actor, projectId: project.id }, params.name!, body);
    return json({ review, plans }, 201);
  },
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
