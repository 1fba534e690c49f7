// The endpoints of a prompt's version labels (aliases of one version each, moved without release rules:
// docs/decisions/version-labels.md): one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import {
  setVersionLabelInput,
  versionLabelOutcomeResponse,
  versionLabelRemovalResponse,
  versionLabelsResponse,
} from "@/lib/release/version-labels/version-label-dto";
import { endpoint } from "../endpoint";
import { promptParams, versionLabelParams } from "../path-params";

export const listVersionLabels = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/version-labels",
  params: promptParams,
  summary:
    "A prompt's version labels (each an alias of one version, fetchable by any client: resolve's label=, Langfuse's ?label=) and their moves, newest first",
  scope: "admin",
  permission: "prompt.read",
  response: versionLabelsResponse,
});

export const setVersionLabel = endpoint({
  method: "PUT",
  path: "/api/v1/prompts/{name}/version-labels/{label}",
  params: versionLabelParams,
  summary:
    "Point a version label at a version (moving it from the one that held it). Needs the permission to edit the prompt, not to deploy: a version label changes what no environment serves. Refused (400) for a label that names an environment (promote instead), 409 for a deleted version, 422 for a move that would close a partial cycle. status unchanged: it pointed there already (nothing written)",
  scope: "admin",
  permission: "prompt.update",
  body: setVersionLabelInput,
  response: versionLabelOutcomeResponse,
});

export const removeVersionLabel = endpoint({
  method: "DELETE",
  path: "/api/v1/prompts/{name}/version-labels/{label}",
  params: versionLabelParams,
  summary: "Remove a version label (404 when the prompt has none of that name)",
  scope: "admin",
  permission: "prompt.update",
  response: versionLabelRemovalResponse,
});
