// The endpoints of prompts, their versions, diffs, dependents, comments, stats, the playground, environments, the project, prices, import and snapshot: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { z } from "zod";
import { versionListResponse, versionSchema } from "@/lib/registry/dto";
import { createVersionInput } from "@/lib/registry/versions";
import { endpoint, withContent } from "../endpoint";
import { listVersionsQuery } from "../prompt-api";

export const listVersions = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/versions",
  summary: "Version history with status and where each was live",
  scope: "admin",
  action: "prompt.read",
  query: listVersionsQuery,
  response: versionListResponse,
});

export const createVersion = endpoint({
  method: "POST",
  path: "/api/v1/prompts/{name}/versions",
  summary: "Save a new version (409 when baseVersion is not the latest)",
  scope: "admin",
  action: "version.create",
  body: createVersionInput,
  bodySchema: withContent(createVersionInput),
  status: 201,
  response: z.object({ version: z.number().int(), data: versionSchema, warnings: z.array(z.string()) }),
});
