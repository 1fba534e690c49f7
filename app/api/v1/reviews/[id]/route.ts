import { decidedReviewDto } from "@/lib/release/dto";
import { decideReview } from "@/lib/release/reviews/reviews";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/release";

export const POST = route(endpoints.decideReview, async ({ domain, params, body }) =>
  json(decidedReviewDto(await decideReview(domain, params.id, body))),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
