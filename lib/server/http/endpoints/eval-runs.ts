// The endpoints of evaluation runs: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import {
  compareInput,
  createRunInput,
  listRunItemsInput,
  listRunsInput,
  parseCreateRunInput,
  runItemsResponse,
  runListResponse,
  runQueuedResponse,
  runSchema,
} from "@/lib/evaluation/runs";
import { compareContract } from "@/lib/stats/contracts";
import { endpoint } from "../endpoint";
import { idParams } from "../path-params";

export const createEvalRun = endpoint({
  method: "POST",
  path: "/api/v1/eval-runs",
  summary:
    "Start an evaluation run of a prompt version over a dataset version (default: current) → 202 {id, status: queued}; a durable job scores every item (× repetitions) with the scorers",
  scope: "admin",
  // Checked before the body, as createEvalRun checks it (403 before 422).
  permission: "evaluation.run",
  // The operation's own parser: bad input is 422 naming the field, as in the UI.
  body: parseCreateRunInput,
  bodySchema: createRunInput,
  status: 202,
  response: runQueuedResponse,
});

export const listEvalRuns = endpoint({
  method: "GET",
  path: "/api/v1/eval-runs",
  summary: "Evaluation runs, newest first (?prompt=&version=&dataset=&status=)",
  scope: "admin",
  permission: "evaluation.read",
  errors: ["unprocessable"],
  query: listRunsInput,
  response: runListResponse,
});

export const getEvalRun = endpoint({
  method: "GET",
  path: "/api/v1/eval-runs/{id}",
  params: idParams("eval run"),
  summary:
    "A run: status (queued, running, completed, unscored: a weighted scorer scored no answer, failed, cancelled), progress {done, total}, score (errors count as failures), scores per scorer, per-tag breakdown, costUsd, tokens, startedAt, finishedAt",
  scope: "admin",
  permission: "evaluation.read",
  response: runSchema,
});

export const listEvalRunItems = endpoint({
  method: "GET",
  path: "/api/v1/eval-runs/{id}/items",
  params: idParams("eval run"),
  summary:
    "A run's results per item: input, expected, output, each scorer's score and reason, latency, tokens, cost (?failed=true)",
  scope: "admin",
  permission: "evaluation.read",
  errors: ["unprocessable"],
  query: listRunItemsInput,
  response: runItemsResponse,
});

export const cancelEvalRun = endpoint({
  method: "POST",
  path: "/api/v1/eval-runs/{id}/cancel",
  params: idParams("eval run"),
  summary: "Cancel a queued or running run (calls in flight are aborted; 409 once finished)",
  scope: "admin",
  permission: "evaluation.run",
  response: runSchema,
});

export const compareEvalRuns = endpoint({
  method: "GET",
  path: "/api/v1/eval-runs/compare",
  summary:
    "Two runs on the same dataset version side by side per item: outputs, scores, deltas (?a=&b=&regressions=true); per scorer a paired comparison paired {n, meanDiff, ci, tPValue, wilcoxonPValue, adjustedPValue (Holm across scorers), significant, direction}, paired.overall for the weighted item score, a verdict sentence, and each run's statistics {score, ci (t over items), repetitions, passAtK, passHatK, unstable}",
  scope: "admin",
  permission: "evaluation.read",
  errors: ["unprocessable"],
  query: compareInput,
  response: compareContract,
});
