// The endpoints of agent bundles and experiments: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import {
  bundleExperimentListResponse,
  bundleExperimentResponse,
  createBundleExperimentInput,
} from "@/lib/experiments/bundles/bundle-experiments";
import {
  bundleRolloutListResponse,
  bundleRolloutResponse,
  createBundleRolloutInput,
} from "@/lib/experiments/rollouts/bundle-rollouts";
import { createExperimentInput, resultsQueryInput } from "@/lib/experiments/definition";
import { experimentReleaseInput, setWeightsInput, stopExperimentInput } from "@/lib/experiments/lifecycle";
import { namespaceUsageQuery, namespaceUsageResponse } from "@/lib/experiments/namespaces";
import { listExperimentsQuery, parseExperimentInput } from "@/lib/experiments/store";
import { experimentListResponse, experimentSchema } from "@/lib/experiments/dto";
import { bundleListResponse, bundleReleaseResponse, bundleViewResponse } from "@/lib/release/bundles/bundle-reads";
import {
  bundleReviewListResponse,
  requestBundleReviewInput,
  requestBundleReviewResponse,
} from "@/lib/release/bundles/bundle-reviews";
import { updateBundleInput } from "@/lib/release/bundles/bundle-update";
import { createBundleInput, releaseBundleInput } from "@/lib/release/bundles/bundles";
import { rollbackBundleInput } from "@/lib/release/bundles/bundle-rollback";
import { bundleResolveQuery, bundleResolveResponse } from "@/lib/runtime/bundle-resolve";
import { dependentsQuery } from "@/lib/release/dependents";
import { resultsContract } from "@/lib/stats/contracts";
import { endpoint, releaseRefusals, rolloutRefusals } from "../endpoint";
import { bundleParams, idParams } from "../path-params";

export const listBundles = endpoint({
  method: "GET",
  path: "/api/v1/bundles",
  summary: "The project's bundles",
  scope: "admin",
  permission: "prompt.read",
  response: bundleListResponse,
});

export const createBundle = endpoint({
  method: "POST",
  path: "/api/v1/bundles",
  summary: "Create a bundle: a named set of existing prompts (partials included) released as one",
  scope: "admin",
  permission: "prompt.create",
  body: createBundleInput,
  status: 201,
  response: bundleViewResponse,
});

export const getBundle = endpoint({
  method: "GET",
  path: "/api/v1/bundles/{name}",
  params: bundleParams,
  summary:
    "A bundle's members and, per environment, what each member serves, the bundle's latest release (current: whether the members still serve it) and its history",
  scope: "admin",
  permission: "prompt.read",
  response: bundleViewResponse,
});

export const updateBundle = endpoint({
  method: "PATCH",
  path: "/api/v1/bundles/{name}",
  params: bundleParams,
  summary:
    "Set a bundle's members (in order) and description; audited as bundle.update. What it serves changes only at its next release; a release or review in flight waits for the change or comes first",
  scope: "admin",
  permission: "prompt.update",
  body: updateBundleInput,
  response: bundleViewResponse,
});

export const releaseBundle = endpoint({
  method: "POST",
  path: "/api/v1/bundles/{name}/releases",
  params: bundleParams,
  summary:
    "Release a bundle to an environment: versions names every member. Every member's release plan is checked under locks on all of them; any blocked member refuses the whole release (the first blocked member's code, every member's plan in details.plans) and nothing is written; otherwise every changed member is deployed in one transaction",
  scope: "admin",
  permission: "deploy.unprotected",
  errors: releaseRefusals,
  body: releaseBundleInput,
  status: 201,
  response: bundleReleaseResponse,
});

export const listBundleReviews = endpoint({
  method: "GET",
  path: "/api/v1/bundles/{name}/reviews",
  params: bundleParams,
  summary:
    "The bundle's reviews, newest first: each with its versions, status and one review request per member it changes",
  scope: "admin",
  permission: "prompt.read",
  response: bundleReviewListResponse,
});

export const requestBundleReview = endpoint({
  method: "POST",
  path: "/api/v1/bundles/{name}/reviews",
  params: bundleParams,
  summary:
    "Request one review of a bundle release: every member's plan is read under locks on all of them, and each member that changes gets a review request linked to it. Deciding any of them (POST /api/v1/reviews/{id}, a person) decides all; an approval with deployOnApprove releases the bundle in the same transaction. 409 when nothing changes, when a member already has a pending review of that version, or (without acknowledgeMissing) when members miss steps an approval cannot give",
  scope: "admin",
  permission: "review.request",
  body: requestBundleReviewInput,
  status: 201,
  response: requestBundleReviewResponse,
});

export const rollbackBundle = endpoint({
  method: "POST",
  path: "/api/v1/bundles/{name}/rollback",
  params: bundleParams,
  summary:
    "Undo the bundle's latest release (or rollback) in an environment: every member returns to what it served just before, in one transaction (409 when never released there)",
  scope: "admin",
  permission: "release.rollback",
  errors: releaseRefusals,
  body: rollbackBundleInput,
  status: 201,
  response: bundleReleaseResponse,
});

export const resolveBundle = endpoint({
  method: "GET",
  path: "/api/v1/bundles/{name}/resolve",
  params: bundleParams,
  summary:
    "Every member as the environment serves it, read in one repeatable-read transaction: one consistent state of the release log, never a mix of two releases; with the bundle's latest release. With ?subject=, the subject's side of the bundle's guarded rollout (rollout: {id, arm}), the same for every member, and its exposure recorded",
  scope: "runtime",
  permission: "runtime.resolve",
  errors: ["not_deployed"],
  query: bundleResolveQuery,
  response: bundleResolveResponse,
});

export const listBundleRollouts = endpoint({
  method: "GET",
  path: "/api/v1/bundles/{name}/rollouts",
  params: bundleParams,
  summary:
    "The bundle's guarded rollouts, newest first (at most 20), in ?environment= or all: each with its share, steps, decisions and members (each member's own rollout id)",
  scope: "admin",
  permission: "prompt.read",
  query: dependentsQuery,
  response: bundleRolloutListResponse,
});

export const createBundleRollout = endpoint({
  method: "POST",
  path: "/api/v1/bundles/{name}/rollouts",
  params: bundleParams,
  summary:
    "Start a guarded rollout of a bundle release: versions names every member's version; each member it changes ramps as a rollout with one seed and one share, so a subject gets every member's new version or none. They pause, resume, advance and roll back as one (POST /api/v1/rollouts/{member id}/…), any member's regression rolls all back, and the last step completes them as one bundle release. 409 plan_unmet with each member's plan; 409 conflict beside an experiment or rollout on a member, when a member serves nothing there, or when nothing changes",
  scope: "admin",
  permission: "experiment.manage",
  errors: rolloutRefusals,
  body: createBundleRolloutInput,
  status: 201,
  response: bundleRolloutResponse,
});

export const listBundleExperiments = endpoint({
  method: "GET",
  path: "/api/v1/bundles/{name}/experiments",
  params: bundleParams,
  summary:
    "The bundle's experiments, newest first (at most 20), in ?environment= or all: each with its arms (every member's version), status and members (each member's own experiment id)",
  scope: "admin",
  permission: "prompt.read",
  query: dependentsQuery,
  response: bundleExperimentListResponse,
});

export const createBundleExperiment = endpoint({
  method: "POST",
  path: "/api/v1/bundles/{name}/experiments",
  params: bundleParams,
  summary:
    "Create an experiment whose arms are bundle releases: arms [{key, weight, versions: {member: version}}] and the fields of an experiment of one prompt (name, primaryMetric, mode fixed or sequential, guardrails, coverage, …; no namespace). Each member the arms change gets a draft experiment, all with one seed, so a subject is in one arm of every member. Start, reweight or stop any member through /api/v1/experiments/{id}/… and every member moves with it, in one transaction; shipping an arm is one bundle release",
  scope: "admin",
  permission: "experiment.manage",
  // The operation parses the body itself (its arms, then each member's definition as for one prompt).
  body: (value: unknown) => value,
  bodySchema: createBundleExperimentInput,
  status: 201,
  response: bundleExperimentResponse,
});

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
