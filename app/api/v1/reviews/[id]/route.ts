import type { BundleReleaseRow } from "@/lib/release/bundles/bundles";
import { decideReview } from "@/lib/release/reviews/reviews";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/release";

export const POST = route(endpoints.decideReview, async ({ domain, params, body }) => {
  const decided = await decideReview(domain, params.id, body);
  const { review, deployment } = decided;
  const bundleRelease = (decided as { bundleRelease?: BundleReleaseRow | null }).bundleRelease ?? null;
  return json({
    id: review.id,
    status: review.status,
    deployed: deployment ? { version: deployment.version, at: deployment.createdAt.toISOString() } : null,
    // A member of a bundle's review: the approval released the bundle (every member's request is decided).
    ...(bundleRelease && { bundleRelease: { id: bundleRelease.id, versions: bundleRelease.versions } }),
  });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
