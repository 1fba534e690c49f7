// The endpoints of drafts and reviews of prompts (promote and rollback are in deployments.ts, rollouts in rollouts.ts): one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { contentSchema } from "@/lib/registry/content";
import { createDraftInput, mergeDraftInput, updateDraftInput } from "@/lib/release/drafts/drafts";
import {
  draftDetailResponse,
  draftDiscardResponse,
  draftListResponse,
  draftMergeResponse,
  draftSchema,
  reviewDecisionResponse,
  reviewListResponse,
  reviewRequestResponse,
} from "@/lib/release/dto";
import { decideReviewInput, requestReviewInput } from "@/lib/release/reviews/reviews";
import { endpoint, releaseRefusals } from "../endpoint";
import { idParams, promptParams } from "../path-params";
import { promptReviewsQuery } from "@/lib/views/prompt-reads";

export const createDraft = endpoint({
  method: "POST",
  path: "/api/v1/prompts/{name}/drafts",
  params: promptParams,
  summary: "Copy a version into a named draft",
  scope: "admin",
  permission: "draft.write",
  body: createDraftInput,
  status: 201,
  response: draftSchema,
});

export const listPromptDrafts = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/drafts",
  params: promptParams,
  summary: "Open drafts of a prompt",
  scope: "admin",
  permission: "prompt.read",
  response: draftListResponse,
});

export const getDraft = endpoint({
  method: "GET",
  path: "/api/v1/drafts/{id}",
  params: idParams("draft"),
  summary: "A draft with its diffs against its base and the latest version",
  scope: "admin",
  permission: "prompt.read",
  response: draftDetailResponse,
});

export const updateDraft = endpoint({
  method: "PUT",
  path: "/api/v1/drafts/{id}",
  params: idParams("draft"),
  summary: "Replace a draft's content (and optionally move its base after resolving conflicts)",
  scope: "admin",
  permission: "draft.write",
  body: updateDraftInput,
  bodySchema: updateDraftInput.extend({ content: contentSchema }),
  response: draftSchema,
});

export const discardDraft = endpoint({
  method: "DELETE",
  path: "/api/v1/drafts/{id}",
  params: idParams("draft"),
  summary: "Discard a draft",
  scope: "admin",
  permission: "draft.write",
  response: draftDiscardResponse,
});

export const mergeDraft = endpoint({
  method: "POST",
  path: "/api/v1/drafts/{id}/merge",
  params: idParams("draft"),
  summary: "Merge a draft back as a new version (three-way; 409 lists conflicts)",
  scope: "admin",
  permission: "draft.write",
  body: mergeDraftInput,
  status: 201,
  response: draftMergeResponse,
});

export const requestReview = endpoint({
  method: "POST",
  path: "/api/v1/prompts/{name}/reviews",
  params: promptParams,
  summary:
    "Request a review of a version for an environment; the answer carries the release plan. When an approval could not deploy it yet (other steps missing) it answers 409 with the plan unless acknowledgeMissing: true",
  scope: "admin",
  permission: "review.request",
  body: requestReviewInput,
  status: 201,
  response: reviewRequestResponse,
});

export const listPromptReviews = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/reviews",
  params: promptParams,
  summary: "Reviews of a prompt",
  scope: "admin",
  permission: "prompt.read",
  query: promptReviewsQuery,
  response: reviewListResponse,
});

export const decideReview = endpoint({
  method: "POST",
  path: "/api/v1/reviews/{id}",
  params: idParams("review"),
  summary:
    "Approve (optionally deploying: the release plan applies; deploy: false approves only) or reject a review. Only people decide reviews (the web UI); an API key gets 403. For a member of a bundle review the decision is the bundle review's, and an approval releases the bundle: confirmBreaking covers every member's breaking changes (a 400 refusal names each member and its changes, with every member's plan in details.plans)",
  scope: "admin",
  permission: "review.decide",
  errors: releaseRefusals,
  body: decideReviewInput,
  response: reviewDecisionResponse,
});
