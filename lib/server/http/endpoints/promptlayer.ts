// The endpoints of the PromptLayer-compatible API under /api/compat/promptlayer (docs/switching.md): the paths
// PromptLayer's own clients call, one declaration each (../endpoint.ts). Keys come as X-API-KEY (keyHeader) or,
// from the clients' track calls, as `api_key` in the body (keyBody); errors take PromptLayer's shape (lib/errors.ts).
// The Python client also sends `api_key` in templates.get's body, beside its header: the header is read.
import "server-only";
import { z } from "zod";
import {
  plGetBody,
  plListQuery,
  plListResponse,
  plPublishBody,
  plPublishResponse,
  plRawQuery,
  plTemplateResponse,
} from "@/lib/compat/promptlayer/shapes";
import {
  plLogBody,
  plLogResponse,
  plTrackGroupBody,
  plTrackMetadataBody,
  plTrackPromptBody,
  plTrackRequestBody,
  plTrackRequestResponse,
  plTrackResponse,
  plTrackScoreBody,
} from "@/lib/compat/promptlayer/request-shapes";
import { foreignImportReportSchema } from "@/lib/compat/import";
import { importPromptLayerInput } from "@/lib/compat/promptlayer/import";
import { endpoint } from "../endpoint";
import { EVENTS_MAX_BODY_BYTES } from "../runtime-ingest";

const key = { keyHeader: "x-api-key" } as const;
/** The clients' track calls send their key as `api_key` in the body, and no header. */
const bodyKey = { keyHeader: "x-api-key", keyBody: "api_key" } as const;
const identifierParams = z.object({
  identifier: z.string().meta({
    description:
      "The prompt's name (a folder's '/' may come unencoded, as PromptLayer's JS client sends it, or as %2F), or its integer id",
  }),
});
// PromptLayer's JS client sends no body when it has no parameters; its Python client adds `api_key`.
const getBody = z.preprocess((v) => v ?? {}, plGetBody);

export const promptLayerGetTemplate = endpoint({
  method: "POST",
  path: "/api/compat/promptlayer/prompt-templates/{identifier}",
  params: identifierParams,
  summary:
    "PromptLayer templates.get: label (an environment) or version, else the newest version; rendered with input_variables",
  scope: "runtime",
  permission: "runtime.resolve",
  ...key,
  body: getBody,
  bodySchema: plGetBody,
  response: plTemplateResponse,
});

export const promptLayerGetRawTemplate = endpoint({
  method: "GET",
  path: "/api/compat/promptlayer/prompt-templates/{identifier}",
  params: identifierParams,
  summary: "PromptLayer's raw template: label or version, else the newest version; never rendered",
  scope: "runtime",
  permission: "runtime.resolve",
  keyHeader: "x-api-key",
  query: plRawQuery,
  response: plTemplateResponse,
});

export const promptLayerListTemplates = endpoint({
  method: "GET",
  path: "/api/compat/promptlayer/prompt-templates",
  summary: "PromptLayer templates.all: each prompt's newest version, or with label the version that environment serves",
  scope: "runtime",
  permission: "runtime.resolve",
  keyHeader: "x-api-key",
  query: plListQuery,
  response: plListResponse,
});

export const promptLayerPublishTemplate = endpoint({
  method: "POST",
  path: "/api/compat/promptlayer/rest/prompt-templates",
  summary:
    "PromptLayer templates.publish: a new version; release_labels move through the release plan (refused as Lectern refuses them)",
  scope: "admin",
  permission: "version.create",
  ...key,
  body: plPublishBody,
  status: 201,
  response: plPublishResponse,
});

export const promptLayerLogRequest = endpoint({
  method: "POST",
  path: "/api/compat/promptlayer/log-request",
  summary: "PromptLayer logRequest: recorded as a generation of the version it names (latency, tokens, cost)",
  scope: "runtime",
  permission: "runtime.feedback",
  ...key,
  body: plLogBody,
  // A request's input and output (each up to 200,000 characters), as POST /api/v1/events takes them.
  maxBodyBytes: EVENTS_MAX_BODY_BYTES,
  status: 201,
  response: plLogResponse,
});

export const promptLayerTrackRequest = endpoint({
  method: "POST",
  path: "/api/compat/promptlayer/track-request",
  summary: "PromptLayer's request tracking (run(), wrapped SDKs): a generation of the template's version",
  scope: "runtime",
  permission: "runtime.feedback",
  ...bodyKey,
  body: plTrackRequestBody,
  response: plTrackRequestResponse,
});

const track = <B>(what: string, path: string, body: z.ZodType<B>, summary: string) =>
  endpoint({
    method: "POST",
    path: `/api/compat/promptlayer/${path}`,
    summary: `PromptLayer track.${what}: ${summary}`,
    scope: "runtime",
    permission: "runtime.feedback",
    ...bodyKey,
    body,
    response: plTrackResponse,
  });

const promptSummary = "ties a logged request to a version (a label's, a number, or the newest), recording it";
const scoreSummary = "a 0–100 score of a request, as a metric event (score, score.<name>)";
const metadataSummary = "string metadata kept with a request (subject: user_id; environment)";
const groupSummary = "the group's id, kept in the request's metadata (Lectern has no request groups)";

export const promptLayerTrackPrompt = track("prompt", "library-track-prompt", plTrackPromptBody, promptSummary);
export const promptLayerTrackScore = track("score", "library-track-score", plTrackScoreBody, scoreSummary);
export const promptLayerTrackMetadata = track(
  "metadata",
  "library-track-metadata",
  plTrackMetadataBody,
  metadataSummary,
);
export const promptLayerTrackGroup = track("group", "track-group", plTrackGroupBody, groupSummary);
export const promptLayerRestTrackPrompt = track("prompt", "rest/track-prompt", plTrackPromptBody, promptSummary);
export const promptLayerRestTrackScore = track("score", "rest/track-score", plTrackScoreBody, scoreSummary);
export const promptLayerRestTrackMetadata = track(
  "metadata",
  "rest/track-metadata",
  plTrackMetadataBody,
  metadataSummary,
);
export const promptLayerRestTrackGroup = track("group", "rest/track-group", plTrackGroupBody, groupSummary);

export const importFromPromptLayer = endpoint({
  method: "POST",
  path: "/api/v1/import/promptlayer",
  summary:
    "Import a PromptLayer workspace's templates (every version, f-string and jinja2 converted or refused by construct, release labels through the release plan); dryRun plans; idempotent",
  scope: "admin",
  permission: "settings.manage",
  body: importPromptLayerInput,
  response: foreignImportReportSchema,
});
