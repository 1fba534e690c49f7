// The endpoints of the Pezzo-compatible API under /api/compat/pezzo (Pezzo's client's own paths below it, its
// key in x-pezzo-api-key, its errors in Pezzo's NestJS shape: lib/errors.ts), and the Pezzo import: one
// declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { pezzoCacheMissSchema, pezzoCacheRetrieveBody } from "@/lib/compat/pezzo/response-cache";
import { pezzoDeploymentQuery } from "@/lib/compat/pezzo/deployment";
import { pezzoImportInput, pezzoImportResponse } from "@/lib/compat/pezzo/import";
import { pezzoPromptSchema } from "@/lib/compat/pezzo/prompt";
import { pezzoReportBody, pezzoReportResponse } from "@/lib/compat/pezzo/report";
import { endpoint } from "../endpoint";
import { EVENTS_MAX_BODY_BYTES } from "../runtime-ingest";

const keyHeader = "x-pezzo-api-key";

export const pezzoGetPromptDeployment = endpoint({
  method: "GET",
  path: "/api/compat/pezzo/api/prompts/v2/deployment",
  summary:
    "Pezzo-compatible getPrompt: what the environment serves (environmentName, read in lowercase), written in Pezzo's {name} syntax; x-pezzo-project-id must be the key's project (id or slug)",
  scope: "runtime",
  keyHeader,
  permission: "runtime.resolve",
  query: pezzoDeploymentQuery,
  response: pezzoPromptSchema,
});

export const pezzoReportExecution = endpoint({
  method: "POST",
  path: "/api/compat/pezzo/api/reporting/v2/request",
  summary:
    "Pezzo-compatible reportPromptExecution: the execution recorded as a generation event of the version it names (latency, tokens, cost, output), within the key's ingest budgets",
  scope: "runtime",
  keyHeader,
  permission: "runtime.feedback",
  body: pezzoReportBody,
  maxBodyBytes: EVENTS_MAX_BODY_BYTES,
  status: 202,
  response: pezzoReportResponse,
});

export const pezzoRetrieveCachedRequest = endpoint({
  method: "POST",
  path: "/api/compat/pezzo/api/cache/v1/request/retrieve",
  summary:
    "Pezzo's response cache is not offered: always a miss ({hit: false}) saying why, so the call goes to the model (the body, Pezzo's {request}, is checked and not kept)",
  scope: "runtime",
  keyHeader,
  permission: "runtime.resolve",
  body: pezzoCacheRetrieveBody,
  response: pezzoCacheMissSchema,
});

export const pezzoSaveCachedRequest = endpoint({
  method: "POST",
  path: "/api/compat/pezzo/api/cache/v1/request/save",
  summary:
    "Pezzo's response cache is not offered: always 404 saying why, which Pezzo's client logs (the body is not read)",
  scope: "runtime",
  keyHeader,
  permission: "runtime.resolve",
  response: pezzoCacheMissSchema,
});

export const importFromPezzo = endpoint({
  method: "POST",
  path: "/api/v1/import/pezzo",
  summary:
    "Import a self-hosted Pezzo's prompts from its rows (read by `lectern import pezzo` from Pezzo's PostgreSQL): every version in order, environments through the release path; dryRun plans; idempotent",
  scope: "admin",
  permission: "settings.manage",
  body: pezzoImportInput,
  maxBodyBytes: EVENTS_MAX_BODY_BYTES,
  response: pezzoImportResponse,
});
