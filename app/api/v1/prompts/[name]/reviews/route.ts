import { requestReview } from "@/lib/release/reviews/reviews";
import { requestedReviewDto } from "@/lib/release/dto";
import { listPromptReviews } from "@/lib/views/prompt-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/release";

export const POST = route(endpoints.requestReview, async ({ domain, params, body }) => {
  const r = await requestReview(domain, params.name, body);
  return json(requestedReviewDto(r, { prompt: params.name, environment: body.environment }), 201);
});

export const GET = route(endpoints.listPromptReviews, async ({ db, project, params, query }) =>
  json(await listPromptReviews(db, project.id, params.name, query)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
