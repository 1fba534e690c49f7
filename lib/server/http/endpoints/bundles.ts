// The endpoints of agent bundles, their rollouts and experiments (one prompt's experiments are in experiments.ts): one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
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
import { endpoint, releaseRefusals, rolloutRefusals } from "../endpoint";
import { deployTarget } from "./resource-rules";
import { bundleParams } from "../path-params";

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
  resource: deployTarget,
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
  resource: deployTarget,
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
