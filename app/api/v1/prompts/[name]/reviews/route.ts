// POST /api/v1/prompts/{name}/reviews (request a review; the answer carries the version's release plan;
// 409 with the plan when an approval could not deploy it yet, unless acknowledgeMissing) and GET (this prompt's reviews). Admin key.
import { z } from "zod";
import { requestReview, requestReviewInput } from "@/lib/release/reviews";
import { reviewDto } from "@/lib/release/dto";
import { promptReviews } from "@/lib/release/prompt-reads";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const POST = withApiKey("admin", { body: requestReviewInput }, async ({ db, actor, project, params, body }) => {
  const { plan, ...r } = await requestReview({ db, actor, projectId: project.id }, params.name!, body);
  return json({ ...reviewDto(r, { prompt: params.name!, environment: body.environment }), plan }, 201);
});

const query = z.object({ status: z.enum(["pending", "approved", "rejected", "cancelled"]).optional() });
export const GET = withApiKey("admin", { query, action: "prompt.read" }, async ({ db, project, params, query }) =>
  json(await promptReviews(db, project.id, params.name!, query)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
