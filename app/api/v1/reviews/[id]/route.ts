// POST /api/v1/reviews/{id} {decision: approve|reject, comment?, confirmBreaking?, deploy?}: decide a review (approval can deploy: the release plan applies). Admin key.
import { decideReview, decideReviewInput } from "@/lib/release/reviews";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const POST = withApiKey("admin", { body: decideReviewInput }, async ({ db, actor, project, params, body }) => {
  const { review, deployment } = await decideReview(
    { db, actor, projectId: project.id, events: await getEvents() },
    params.id!,
    body,
  );
  return json({
    id: review.id,
    status: review.status,
    deployed: deployment ? { version: deployment.version, at: deployment.createdAt.toISOString() } : null,
  });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
