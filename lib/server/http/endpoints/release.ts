// The endpoints of drafts, reviews and rollouts of prompts (promote and rollback are in deployments.ts): one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { rolloutActionInput, rolloutAdvanceInput } from "@/lib/experiments/rollouts/rollout-control";
import {
  listProjectRolloutsInput,
  rolloutDetailResponse,
  rolloutListResponse,
} from "@/lib/experiments/rollouts/rollout-reads";
import { rolloutResponse } from "@/lib/experiments/rollouts/rollout-state";
import { createRolloutInput } from "@/lib/experiments/rollouts/rollouts";
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
import { endpoint, releaseRefusals, rolloutRefusals } from "../endpoint";
import { idParams, promptParams } from "../path-params";
import { dependentsQuery } from "@/lib/release/dependents";
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

export const listPromptRollouts = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/rollouts",
  params: promptParams,
  summary: "The prompt's guarded rollouts, newest first (at most 50), in ?environment= or all",
  scope: "admin",
  permission: "prompt.read",
  query: dependentsQuery,
  response: rolloutListResponse,
});

export const startRollout = endpoint({
  method: "POST",
  path: "/api/v1/prompts/{name}/rollouts",
  params: promptParams,
  summary:
    "Start a guarded rollout of a version in an environment: the new version's share grows by steps (default 5 → 25 → 50 → 100 %, each with minMinutes and minSubjects), subjects hashed as in experiments and never moved back while the share grows; requests without a subject get the live version until 100 %. Every minute the rollouts job compares the new version with the live one on each guardrail (default latency_ms, cost_usd, refusal, thumbs; always-valid intervals, Holm over the guardrails): a significant regression rolls back at once, met minimums (and, with margin, intervals excluding a larger harm) advance, the step before 100 % makes the version the deployment. 409 plan_unmet (with the plan) until the release plan is met; 409 conflict beside an experiment or another rollout, or when nothing is live",
  scope: "admin",
  permission: "experiment.manage",
  errors: rolloutRefusals,
  body: createRolloutInput,
  status: 201,
  response: rolloutResponse,
});

export const listRollouts = endpoint({
  method: "GET",
  path: "/api/v1/rollouts",
  summary:
    "The project's guarded rollouts (each member of a bundle's rollout on its own, with its bundle), newest first (at most 200), in ?environment=, of ?status= (running, paused, completed, rolled_back, stopped), on ?prompt=. GET /api/v1/experiments never lists a rollout",
  scope: "admin",
  permission: "prompt.read",
  query: listProjectRolloutsInput,
  response: rolloutListResponse,
});

export const getRollout = endpoint({
  method: "GET",
  path: "/api/v1/rollouts/{id}",
  params: idParams("rollout"),
  summary:
    "A guarded rollout: status (running, paused, completed, rolled_back, or stopped by a deployment), step, percent, steps, decisions (each with its guardrails' lift and interval) and, while it runs, current: subjects per arm and each guardrail over the whole rollout so far (one always-valid sequence across its steps), CUPED-adjusted where the subjects' pre-exposure history of the metric allows (cuped: {varianceReduction} percent, else null)",
  scope: "admin",
  permission: "prompt.read",
  response: rolloutDetailResponse,
});

export const pauseRollout = endpoint({
  method: "POST",
  path: "/api/v1/rollouts/{id}/pause",
  params: idParams("rollout"),
  summary:
    "Pause: the share stays where it is and the job decides nothing until resumed. Needs a reason; audited; answers {rollout}. 409 when the rollout has ended.",
  scope: "admin",
  permission: "experiment.manage",
  body: rolloutActionInput,
  response: rolloutResponse,
});

export const resumeRollout = endpoint({
  method: "POST",
  path: "/api/v1/rollouts/{id}/resume",
  params: idParams("rollout"),
  summary: "Resume a paused rollout. Needs a reason; audited; answers {rollout}. 409 when the rollout has ended.",
  scope: "admin",
  permission: "experiment.manage",
  body: rolloutActionInput,
  response: rolloutResponse,
});

export const advanceRollout = endpoint({
  method: "POST",
  path: "/api/v1/rollouts/{id}/advance",
  params: idParams("rollout"),
  summary:
    "Move to the next step now; from the step before 100 % this completes the rollout (the version becomes the deployment). Needs a reason; audited; answers {rollout}. 409 when the rollout has ended; 409 experiment_running when completing releases a partial that experiments on prompts including it compose, until experimentAction says what happens to them (new_phase or stop).",
  scope: "admin",
  permission: "experiment.manage",
  errors: releaseRefusals,
  body: rolloutAdvanceInput,
  response: rolloutResponse,
});

export const rollbackRollout = endpoint({
  method: "POST",
  path: "/api/v1/rollouts/{id}/rollback",
  params: idParams("rollout"),
  summary:
    "Roll back now: every subject gets the live version again, and the version counts as rolled back for the release plan. Needs a reason; audited; answers {rollout}. 409 when the rollout has ended.",
  scope: "admin",
  permission: "experiment.manage",
  body: rolloutActionInput,
  response: rolloutResponse,
});
