// The /api/v1 endpoints of the registry, releases and the runtime path, for the OpenAPI document (../openapi.ts).
import "server-only";
import { addCommentInput, listCommentsInput } from "@/lib/release/comments";
import { contentSchema } from "@/lib/registry/content";
import { createPromptInput, updatePromptDetailsInput } from "@/lib/registry/prompts";
import { createVersionInput } from "@/lib/registry/versions";
import { promoteInput } from "@/lib/release/promote";
import { rollbackInput } from "@/lib/release/rollback";
import { createDraftInput, mergeDraftInput } from "@/lib/release/drafts";
import { environmentInput, environmentRulesInput } from "@/lib/release/environments";
import { decideReviewInput, requestReviewInput } from "@/lib/release/reviews";
import { resolveBody, resolveQuery } from "@/lib/runtime/resolve";
import {
  dependentsQuery,
  deploymentsQuery,
  diffQuery,
  listPromptsQuery,
  listVersionsQuery,
  releasePlanQuery,
} from "../prompt-api";
import { type Endpoint, schema, withContent } from "./shared";

export const registryEndpoints: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/prompts/resolve",
    summary:
      "Resolve the prompt live in an environment (ETag / 304; `at` for point-in-time). With `names=a,b,c` instead of `name`: a batch of up to 100 prompts, `{prompts, errors: [{name, error}]}`",
    scope: "runtime",
    query: resolveQuery,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/comments",
    summary: "Comments on the prompt's versions (?version=), oldest first, with the members each mentions",
    scope: "admin",
    query: listCommentsInput,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/comments",
    summary:
      "Comment on a version, optionally in a review's discussion; @mentions (an e-mail address, or its local part when unique) must be project members. Webhooks send comment.created",
    scope: "admin",
    body: addCommentInput,
    status: 201,
  },
  {
    method: "post",
    path: "/api/v1/prompts/resolve",
    summary:
      "Resolve and render with variables (partials expanded). With `names: [...]` or `all: true` instead of `name`: a batch, `{prompts, errors}`, as the GET batch",
    scope: "runtime",
    body: resolveBody,
  },
  {
    method: "get",
    path: "/api/v1/events",
    summary: "Server-Sent Events: prompt.changed {name, environment, version}; Last-Event-ID resume",
    scope: "runtime",
  },
  {
    method: "get",
    path: "/api/v1/prompts",
    summary:
      "List prompts: tag, folder, search (names, descriptions, the latest text), environment (live there), status (live, not_live), owner (id or e-mail), hasExperiment, hasAlert; sort name|updated|created; paginated; each with its owner",
    scope: "admin",
    query: listPromptsQuery,
  },
  {
    method: "post",
    path: "/api/v1/prompts",
    summary: "Create a prompt (version 1, draft)",
    scope: "admin",
    body: withContent(createPromptInput),
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}",
    summary: "Prompt metadata, latest version and what each environment serves",
    scope: "admin",
  },
  {
    method: "patch",
    path: "/api/v1/prompts/{name}",
    summary: "Change a prompt's description and tags (not versioned)",
    scope: "admin",
    body: updatePromptDetailsInput,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/versions",
    summary: "Version history with status and where each was live",
    scope: "admin",
    query: listVersionsQuery,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/versions",
    summary: "Save a new version (409 when baseVersion is not the latest)",
    scope: "admin",
    body: withContent(createVersionInput),
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/versions/{version}",
    summary: "One version (immutable: PUT/PATCH/DELETE answer 405)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/versions/{version}/diff",
    summary: "Diff of a version against another (default: the previous)",
    scope: "admin",
    query: diffQuery,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/versions/{version}/release-plan",
    summary:
      "The version's release plan for an environment (?environment=, default production): each rule's step, met or missing, with the action a missing one needs, and what a release would also do (stop a running experiment)",
    scope: "admin",
    query: releasePlanQuery,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/dependents",
    summary:
      "The prompts that include this one as a partial where an environment serves it (?environment=, default every environment), with the version each serves: what a release of this prompt there also changes",
    scope: "admin",
    query: dependentsQuery,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/deployments",
    summary:
      "Promote a version to an environment. The release plan is checked under the prompt's lock; a refusal (409 conflict or gate_failed, 400 for unconfirmed breaking changes) carries the plan in details.plan. To a protected environment, changes that break its callers need confirmBreaking: true; a version rolled back there needs confirmRolledBack: true from a person; a partial whose dependents do not pass their own rules needs confirmDependents: true from an approver (audited)",
    scope: "admin",
    body: promoteInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/deployments",
    summary:
      "Deployment history (`data`), with the guarded rollouts' events interleaved by time in `entries` (each with a `kind`: deployment or rollout), or what was live at an instant (?at=)",
    scope: "admin",
    query: deploymentsQuery,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/rollback",
    summary: "Roll back (default: to the previously live version)",
    scope: "admin",
    body: rollbackInput,
    status: 201,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/reviews",
    summary:
      "Request a review of a version for an environment; the answer carries the release plan. When an approval could not deploy it yet (other steps missing) it answers 409 with the plan unless acknowledgeMissing: true",
    scope: "admin",
    body: requestReviewInput,
    status: 201,
  },
  { method: "get", path: "/api/v1/prompts/{name}/reviews", summary: "Reviews of a prompt", scope: "admin" },
  {
    method: "post",
    path: "/api/v1/reviews/{id}",
    summary:
      "Approve (optionally deploying: the release plan applies; deploy: false approves only) or reject a review. Only people decide reviews (the web UI); an API key gets 403. For a member of a bundle review the decision is the bundle review's, and an approval releases the bundle: confirmBreaking covers every member's breaking changes (a 400 refusal names each member and its changes, with every member's plan in details.plans)",
    scope: "admin",
    body: decideReviewInput,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/drafts",
    summary: "Copy a version into a named draft",
    scope: "admin",
    body: createDraftInput,
    status: 201,
  },
  { method: "get", path: "/api/v1/prompts/{name}/drafts", summary: "Open drafts of a prompt", scope: "admin" },
  {
    method: "get",
    path: "/api/v1/drafts/{id}",
    summary: "A draft with its diffs against its base and the latest version",
    scope: "admin",
  },
  {
    method: "put",
    path: "/api/v1/drafts/{id}",
    summary: "Replace a draft's content (and optionally move its base after resolving conflicts)",
    scope: "admin",
    body: {
      type: "object",
      properties: { content: schema(contentSchema), baseVersion: { type: "integer" } },
      required: ["content"],
    },
  },
  { method: "delete", path: "/api/v1/drafts/{id}", summary: "Discard a draft", scope: "admin" },
  {
    method: "post",
    path: "/api/v1/drafts/{id}/merge",
    summary: "Merge a draft back as a new version (three-way; 409 lists conflicts)",
    scope: "admin",
    body: mergeDraftInput,
    status: 201,
  },
  { method: "get", path: "/api/v1/environments", summary: "Environments and their rules", scope: "admin" },
  {
    method: "post",
    path: "/api/v1/environments",
    summary: "Add an environment",
    scope: "admin",
    body: environmentInput,
    status: 201,
  },
  {
    method: "patch",
    path: "/api/v1/environments/{name}",
    summary:
      "Change an environment's protection and promotion rules; evaluationGate {dataset (id or name), minScore, maxDrop, datasetVersion?, scorers?, mode?} | null makes promotions need a completed run of the version, made with the gate's scorers, on the dataset's current (or pinned) version scoring ≥ minScore and at most maxDrop below the live version's run (mode threshold, the default), or no gate scorer significantly worse than the live version's run item by item (mode paired: paired t, Holm across scorers; minScore may be left out), or both (409 gate_failed otherwise); in every mode every gate item must have run and been scored, and a paired comparison needs real pairs on every gate scorer for at least 80% of the items and at least 10 (all of them below 10, where no scorer may be lower on average); left out, mode keeps the stored one; left out, datasetVersion and scorers keep the stored ones while the dataset is unchanged (datasetVersion: null unpins); autoPromote {minScore} | null promotes a version whose run on the gate's dataset scores ≥ minScore; requiresShadow {minInputs ≥ 5} | null makes releases need that many shadow answers to live inputs with no scorer significantly worse than the live version (409 gate_failed)",
    scope: "admin",
    body: environmentRulesInput,
  },
  {
    method: "get",
    path: "/api/v1/environments/{name}",
    summary:
      "One environment and its rules, including evaluationGate {dataset, datasetName, minScore, maxDrop, mode}, autoPromote {minScore} and requiresShadow {minInputs}",
    scope: "admin",
  },
  { method: "get", path: "/api/v1/audit", summary: "The audit log, newest first", scope: "admin" },
];
