// The endpoints of guarded rollouts: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { rolloutActionInput, rolloutAdvanceInput } from "@/lib/experiments/rollouts/rollout-control";
import {
  listProjectRolloutsInput,
  rolloutDetailResponse,
  rolloutListResponse,
} from "@/lib/experiments/rollouts/rollout-reads";
import { rolloutResponse } from "@/lib/experiments/rollouts/rollout-state";
import { createRolloutInput } from "@/lib/experiments/rollouts/rollouts";
import { endpoint, releaseRefusals, rolloutRefusals } from "../endpoint";
import { deployTarget, rolloutTarget } from "./resource-rules";
import { idParams, promptParams } from "../path-params";
import { dependentsQuery } from "@/lib/release/dependents";

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
  resource: deployTarget,
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
  resource: rolloutTarget,
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
  resource: rolloutTarget,
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
  resource: rolloutTarget,
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
  resource: rolloutTarget,
  body: rolloutActionInput,
  response: rolloutResponse,
});
