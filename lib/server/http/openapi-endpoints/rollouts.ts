// The guarded-rollout endpoints (issue 43), for the OpenAPI document.
import "server-only";
import { rolloutActionInput } from "@/lib/experiments/rollout-control";
import { createRolloutInput } from "@/lib/experiments/rollouts";
import { dependentsQuery } from "../prompt-api";
import type { Endpoint } from "./shared";

const action = (name: string, summary: string): Endpoint => ({
  method: "post",
  path: `/api/v1/rollouts/{id}/${name}`,
  summary: `${summary} Needs a reason; audited; answers {rollout}. 409 when the rollout has ended.`,
  scope: "admin",
  body: rolloutActionInput,
});

export const rolloutEndpoints: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/prompts/{name}/rollouts",
    summary: "The prompt's guarded rollouts, newest first (at most 50), in ?environment= or all",
    scope: "admin",
    query: dependentsQuery,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/rollouts",
    summary:
      "Start a guarded rollout of a version in an environment: the new version's share grows by steps (default 5 → 25 → 50 → 100 %, each with minMinutes and minSubjects), subjects hashed as in experiments and never moved back while the share grows; requests without a subject get the live version until 100 %. Every minute the rollouts job compares the new version with the live one on each guardrail (default latency_ms, cost_usd, refusal, thumbs; always-valid intervals, Holm over the guardrails): a significant regression rolls back at once, met minimums (and, with margin, intervals excluding a larger harm) advance, the step before 100 % makes the version the deployment. 409 plan_unmet (with the plan) until the release plan is met; 409 conflict beside an experiment or another rollout, or when nothing is live",
    scope: "admin",
    body: createRolloutInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/rollouts/{id}",
    summary:
      "A guarded rollout: status (running, paused, completed, rolled_back, or stopped by a deployment), step, percent, steps, decisions (each with its guardrails' lift and interval) and, while it runs, current: subjects per arm and each guardrail over the whole rollout so far (one always-valid sequence across its steps), CUPED-adjusted where the subjects' pre-exposure history of the metric allows (cuped: {varianceReduction} percent, else null)",
    scope: "admin",
  },
  action("pause", "Pause: the share stays where it is and the job decides nothing until resumed."),
  action("resume", "Resume a paused rollout."),
  action(
    "advance",
    "Move to the next step now; from the step before 100 % this completes the rollout (the version becomes the deployment).",
  ),
  action(
    "rollback",
    "Roll back now: every subject gets the live version again, and the version counts as rolled back for the release plan.",
  ),
];
