import { listBundleReviews, requestBundleReview, requestedBundleReviewDto } from "@/lib/release/bundles/bundle-reviews";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/bundles";

export const GET = route(endpoints.listBundleReviews, async ({ db, project, params }) =>
  json({ reviews: await listBundleReviews(db, project.id, params.name) }),
);

export const POST = route(endpoints.requestBundleReview, async ({ domain, params, body }) =>
  json(requestedBundleReviewDto(await requestBundleReview(domain, params.name, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
