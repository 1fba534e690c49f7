// POST /api/v1/prompts/{name}/reviews (request a review; the answer carries the version's release plan;
// 409 with the plan when an approval could not deploy it yet, unless acknowledgeMissing) and GET (this prompt's reviews). Admin key.
import { z } from "zod";
import { getPrompt } from "@/lib/registry/prompts";
import { listReviews, requestReview, requestReviewInput } from "@/lib/release/reviews";
import { reviewDto } from "@/lib/release/dto";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const POST = withApiKey("admin", { body: requestReviewInput }, async ({ db, actor, project, params, body }) => {
  const { plan, ...r } = await requestReview({ db, actor, projectId: project.id }, params.name!, body);
  return json({ ...reviewDto(r, { prompt: params.name!, environment: body.environment }), plan }, 201);
});

const query = z.object({ status: z.enum(["pending", "approved", "rejected", "cancelled"]).optional() });
export const GET = withApiKey("admin", { query, action: "prompt.read" }, async ({ db, project, params, query }) => {
  const prompt = await getPrompt(db, project.id, params.name!);
  const rows = await listReviews(db, project.id, { promptId: prompt.id, status: query.status });
  return json({
    data: rows.map((r) =>
      reviewDto(r.review, { prompt: r.promptName, environment: r.environment, requester: r.requesterName }),
    ),
  });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
