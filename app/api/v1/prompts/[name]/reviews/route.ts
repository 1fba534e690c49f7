// POST /api/v1/prompts/{name}/reviews (request a review; the answer carries the version's release plan;
// 409 with the plan when an approval could not deploy it yet, unless acknowledgeMissing) and GET (this prompt's reviews). Admin key.
import { requestReview } from "@/lib/release/reviews";
import { reviewDto } from "@/lib/release/dto";
import { promptReviews } from "@/lib/release/prompt-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/release";

export const POST = route(endpoints.requestReview, async ({ domain, params, body }) => {
  const { plan, ...r } = await requestReview(domain, params.name, body);
  return json({ ...reviewDto(r, { prompt: params.name, environment: body.environment }), plan }, 201);
});

export const GET = route(endpoints.listPromptReviews, async ({ db, project, params, query }) =>
  json(await promptReviews(db, project.id, params.name, query)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
