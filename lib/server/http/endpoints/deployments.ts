// The endpoints of promoting and rolling back a prompt: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { deployOutcomeResponse, deploymentsResponse } from "@/lib/release/dto";
import { promoteInput } from "@/lib/release/promote";
import { rollbackInput } from "@/lib/release/rollback";
import { endpoint, releaseRefusals } from "../endpoint";
import { deployTarget } from "./resource-rules";
import { promptParams } from "../path-params";
import { deploymentsQuery } from "@/lib/views/prompt-reads";

export const promoteVersion = endpoint({
  method: "POST",
  path: "/api/v1/prompts/{name}/deployments",
  params: promptParams,
  summary:
    "Promote a version to an environment. The release plan is checked under the prompt's lock; a refusal (409 conflict or gate_failed, 400 for unconfirmed breaking changes) carries the plan in details.plan. To a protected environment, changes that break its callers need confirmBreaking: true; a version rolled back there needs confirmRolledBack: true from a person; a partial whose dependents do not pass their own rules needs confirmDependents: true from an approver (audited). 201 with the deployment; 200 with the live deployment and unchanged: true when the environment serves that version already (nothing is written)",
  scope: "admin",
  permission: "deploy.unprotected",
  resource: deployTarget,
  errors: releaseRefusals,
  body: promoteInput,
  status: 201,
  response: deployOutcomeResponse,
});

export const listPromptDeployments = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/deployments",
  params: promptParams,
  summary:
    "Deployment history (`data`), with the guarded rollouts' events interleaved by time in `entries` (each with a `kind`: deployment or rollout), or what was live at an instant (?at=)",
  scope: "admin",
  permission: "prompt.read",
  query: deploymentsQuery,
  response: deploymentsResponse,
});

export const rollbackPrompt = endpoint({
  method: "POST",
  path: "/api/v1/prompts/{name}/rollback",
  params: promptParams,
  summary:
    "Roll back (default: to the previously live version). 201 with the deployment; 200 with the live deployment and unchanged: true when the environment serves the named version already (nothing is written)",
  scope: "admin",
  permission: "release.rollback",
  errors: releaseRefusals,
  body: rollbackInput,
  status: 201,
  response: deployOutcomeResponse,
});
