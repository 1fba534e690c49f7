// The endpoints of the Langfuse-compatible prompt API under /api/public: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import {
  langfuseCreateBody,
  langfuseDeleteQuery,
  langfuseGetQuery,
  langfuseListQuery,
  langfusePatchBody,
} from "@/lib/langfuse/mapping";
import { langfuseListResponse, langfuseRecordSchema } from "@/lib/langfuse/response";
import { endpoint, noContent, releaseRefusals } from "../endpoint";
import { langfuseVersionParams, promptParams } from "../path-params";

export const langfuseListPrompts = endpoint({
  method: "GET",
  path: "/api/public/v2/prompts",
  summary: "Langfuse-compatible list",
  scope: "runtime",
  permission: "runtime.resolve",
  query: langfuseListQuery,
  response: langfuseListResponse,
});

export const langfuseCreatePrompt = endpoint({
  method: "POST",
  path: "/api/public/v2/prompts",
  summary: "Langfuse-compatible create",
  scope: "admin",
  permission: "version.create",
  errors: releaseRefusals,
  body: langfuseCreateBody,
  status: 201,
  response: langfuseRecordSchema,
});

export const langfuseGetPrompt = endpoint({
  method: "GET",
  path: "/api/public/v2/prompts/{name}",
  params: promptParams,
  summary: "Langfuse-compatible get (label = environment)",
  scope: "runtime",
  permission: "runtime.resolve",
  query: langfuseGetQuery,
  response: langfuseRecordSchema,
});

export const langfuseDeletePrompt = endpoint({
  method: "DELETE",
  path: "/api/public/v2/prompts/{name}",
  params: promptParams,
  summary: "Langfuse-compatible delete (version, label or all): archives; hidden from listing and resolve",
  scope: "admin",
  permission: "prompt.delete",
  query: langfuseDeleteQuery,
  status: 204,
  response: noContent,
});

export const langfuseUpdateLabels = endpoint({
  method: "PATCH",
  path: "/api/public/v2/prompts/{name}/versions/{version}",
  params: langfuseVersionParams,
  summary:
    "Langfuse-compatible label update: each label (an environment) moves to this version through promote; a label already on it stays (nothing is written)",
  scope: "admin",
  permission: "version.create",
  errors: releaseRefusals,
  body: langfusePatchBody,
  response: langfuseRecordSchema,
});
