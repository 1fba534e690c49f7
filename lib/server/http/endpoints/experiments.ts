// The endpoints of experiments: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { createExperimentInput, resultsQueryInput } from "@/lib/experiments/definition";
import { experimentReleaseInput, setWeightsInput, stopExperimentInput } from "@/lib/experiments/lifecycle";
import { namespaceUsageQuery, namespaceUsageResponse } from "@/lib/experiments/namespaces";
import { listExperimentsQuery, parseExperimentInput } from "@/lib/experiments/store";
import { experimentListResponse, experimentSchema } from "@/lib/experiments/dto";
import { resultsContract } from "@/lib/stats/contracts";
import { endpoint } from "../endpoint";
import { idParams } from "../path-params";

export const createExperiment = endpoint({
  method: "POST",
  path: "/api/v1/experiments",
  summary:
    "Create an experiment (draft) with its variants, weights, metrics and planned sample size; namespace {name, range: [start, end]} makes it mutually exclusive with the namespace's other experiments (an overlap with a running one is a 409 naming it and the free shares)",
  scope: "admin",
  permission: "experiment.manage",
  // 422 naming the field, nothing written.
  body: parseExperimentInput,
  bodySchema: createExperimentInput,
  status: 201,
  response: experimentSchema,
});

export const listExperiments = endpoint({
  method: "GET",
  path: "/api/v1/experiments",
  summary:
    "List experiments (?prompt=, ?status=draft|running|stopped), newest first: never a guarded rollout (GET /api/v1/rollouts lists those)",
  scope: "admin",
  permission: "experiment.read",
  query: listExperimentsQuery,
  response: experimentListResponse,
});

export const listExperimentNamespaces = endpoint({
  method: "GET",
  path: "/api/v1/experiments/namespaces",
  summary:
    "Namespaces in use (?name=): experiments in one never share a subject. Per namespace its draft and running experiments with their shares [start, end) of the hash space, and the free shares no running experiment holds",
  scope: "admin",
  permission: "experiment.read",
  query: namespaceUsageQuery,
  response: namespaceUsageResponse,
});

export const getExperiment = endpoint({
  method: "GET",
  path: "/api/v1/experiments/{id}",
  params: idParams("experiment"),
  summary:
    "One experiment with its phases: each with its weights, reason, start, what each arm served (`compositions`: partials as name@version) and the deployment that began it",
  scope: "admin",
  permission: "experiment.read",
  response: experimentSchema,
});

export const startExperiment = endpoint({
  method: "POST",
  path: "/api/v1/experiments/{id}/start",
  params: idParams("experiment"),
  summary:
    "Start: traffic is split by consistent hashing of the subject from now on. The control must be what the environment serves; every other variant with traffic must meet the environment's release plan (or have been served there before). A promotion or rollback of the prompt there stops it",
  scope: "admin",
  permission: "experiment.manage",
  body: experimentReleaseInput,
  response: experimentSchema,
});

export const setExperimentWeights = endpoint({
  method: "POST",
  path: "/api/v1/experiments/{id}/weights",
  params: idParams("experiment"),
  summary: "Change the split (starts a new phase; earlier phases stay in the results)",
  scope: "admin",
  permission: "experiment.manage",
  body: setWeightsInput,
  response: experimentSchema,
});

export const stopExperiment = endpoint({
  method: "POST",
  path: "/api/v1/experiments/{id}/stop",
  params: idParams("experiment"),
  summary:
    "Stop, optionally shipping a variant: the ship is a promotion in the release log. Shipping a partial's version that experiments on prompts including it compose is refused (409 experiment_running) until experimentAction says what happens to them (new_phase or stop).",
  scope: "admin",
  permission: "experiment.manage",
  body: stopExperimentInput,
  response: experimentSchema,
});

export const getExperimentResults = endpoint({
  method: "GET",
  path: "/api/v1/experiments/{id}/results",
  params: idParams("experiment"),
  summary:
    "Per arm n, mean and sd; lift with its interval (on the log of the ratio, never below −100%), p-value (no Bayesian chance to win: fixed and sequential experiments decide by the interval; a bandit's P(best) is in weights), and beside it the CUPED-adjusted lift, interval, p-value and variance reduction (or adjustedReason), with pre-exposure history (same prompt and environment) from the experiment's cupedLookbackDays or ?lookbackDays=N (1–90); where it applies to the primary metric the adjusted comparison decides winner and verdict, always with the experiment's own look-back (?lookbackDays changes only the numbers shown); ratios: per ratio metric (Σ numerator / Σ denominator, e.g. cost per completed task) each arm's ratio and the comparison by the delta method with the subject as the unit; sample ratio mismatch; progress and a verdict; unattributed: the events that named an arm the server did not serve their subject, or came outside the phase's window, counted in no arm ({events, groups: [{reason: other_arm | never_exposed | before_start | after_stop, variant, served, events}], line}). The current phase (a reweight, or a release of a partial the arms include, begins one), or ?phase=N; `experiment.phases` says which phases were read",
  scope: "admin",
  permission: "experiment.read",
  query: resultsQueryInput,
  response: resultsContract,
});
