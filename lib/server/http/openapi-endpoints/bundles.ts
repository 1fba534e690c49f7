// The /api/v1/bundles endpoints (agent bundles: a set of prompts released as one), for the OpenAPI document.
import "server-only";
import { createBundleInput, releaseBundleInput, rollbackBundleInput } from "@/lib/release/bundles";
import { requestBundleReviewInput } from "@/lib/release/bundle-reviews";
import { updateBundleInput } from "@/lib/release/bundle-update";
import { createBundleExperimentInput } from "@/lib/experiments/bundle-experiments";
import { createBundleRolloutInput } from "@/lib/experiments/bundle-rollouts";
import { bundleResolveQuery, dependentsQuery } from "../prompt-api";
import type { Endpoint } from "./shared";

export const bundleEndpoints: Endpoint[] = [
  { method: "get", path: "/api/v1/bundles", summary: "The project's bundles", scope: "admin" },
  {
    method: "post",
    path: "/api/v1/bundles",
    summary: "Create a bundle: a named set of existing prompts (partials included) released as one",
    scope: "admin",
    body: createBundleInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/bundles/{name}",
    summary:
      "A bundle's members and, per environment, what each member serves, the bundle's latest release (current: whether the members still serve it) and its history",
    scope: "admin",
  },
  {
    method: "patch",
    path: "/api/v1/bundles/{name}",
    summary:
      "Set a bundle's members (in order) and description; audited as bundle.update. What it serves changes only at its next release; a release or review in flight waits for the change or comes first",
    scope: "admin",
    body: updateBundleInput,
  },
  {
    method: "post",
    path: "/api/v1/bundles/{name}/releases",
    summary:
      "Release a bundle to an environment: versions names every member. Every member's release plan is checked under locks on all of them; any blocked member refuses the whole release (the first blocked member's code, every member's plan in details.plans) and nothing is written; otherwise every changed member is deployed in one transaction",
    scope: "admin",
    body: releaseBundleInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/bundles/{name}/reviews",
    summary:
      "The bundle's reviews, newest first: each with its versions, status and one review request per member it changes",
    scope: "admin",
  },
  {
    method: "post",
    path: "/api/v1/bundles/{name}/reviews",
    summary:
      "Request one review of a bundle release: every member's plan is read under locks on all of them, and each member that changes gets a review request linked to it. Deciding any of them (POST /api/v1/reviews/{id}, a person) decides all; an approval with deployOnApprove releases the bundle in the same transaction. 409 when nothing changes, when a member already has a pending review of that version, or (without acknowledgeMissing) when members miss steps an approval cannot give",
    scope: "admin",
    body: requestBundleReviewInput,
    status: 201,
  },
  {
    method: "post",
    path: "/api/v1/bundles/{name}/rollback",
    summary:
      "Undo the bundle's latest release (or rollback) in an environment: every member returns to what it served just before, in one transaction (409 when never released there)",
    scope: "admin",
    body: rollbackBundleInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/bundles/{name}/resolve",
    summary:
      "Every member as the environment serves it, read in one repeatable-read transaction: one consistent state of the release log, never a mix of two releases; with the bundle's latest release. With ?subject=, the subject's side of the bundle's guarded rollout (rollout: {id, arm}), the same for every member, and its exposure recorded",
    scope: "runtime",
    query: bundleResolveQuery,
  },
  {
    method: "get",
    path: "/api/v1/bundles/{name}/rollouts",
    summary:
      "The bundle's guarded rollouts, newest first (at most 20), in ?environment= or all: each with its share, steps, decisions and members (each member's own rollout id)",
    scope: "admin",
    query: dependentsQuery,
  },
  {
    method: "post",
    path: "/api/v1/bundles/{name}/rollouts",
    summary:
      "Start a guarded rollout of a bundle release: versions names every member's version; each member it changes ramps as a rollout with one seed and one share, so a subject gets every member's new version or none. They pause, resume, advance and roll back as one (POST /api/v1/rollouts/{member id}/…), any member's regression rolls all back, and the last step completes them as one bundle release. 409 plan_unmet with each member's plan; 409 conflict beside an experiment or rollout on a member, when a member serves nothing there, or when nothing changes",
    scope: "admin",
    body: createBundleRolloutInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/bundles/{name}/experiments",
    summary:
      "The bundle's experiments, newest first (at most 20), in ?environment= or all: each with its arms (every member's version), status and members (each member's own experiment id)",
    scope: "admin",
    query: dependentsQuery,
  },
  {
    method: "post",
    path: "/api/v1/bundles/{name}/experiments",
    summary:
      "Create an experiment whose arms are bundle releases: arms [{key, weight, versions: {member: version}}] and the fields of an experiment of one prompt (name, primaryMetric, mode fixed or sequential, guardrails, coverage, …; no namespace). Each member the arms change gets a draft experiment, all with one seed, so a subject is in one arm of every member. Start, reweight or stop any member through /api/v1/experiments/{id}/… and every member moves with it, in one transaction; shipping an arm is one bundle release",
    scope: "admin",
    body: createBundleExperimentInput,
    status: 201,
  },
];
