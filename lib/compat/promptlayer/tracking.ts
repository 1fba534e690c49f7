// The tracking operations PromptLayer's clients call, one per endpoint: logRequest, track-request (run() and
// the wrapped provider SDKs), track.prompt / score / metadata / group. requests.ts stores and records.
import type { z } from "zod";
import { factsFromLog, factsFromTrack } from "./request-facts";
import type {
  PlLogBody,
  PlTrackRequestBody,
  plTrackGroupBody,
  plTrackMetadataBody,
  plTrackPromptBody,
  plTrackScoreBody,
} from "./request-shapes";
import { annotateRequest, requestOf, scoreRequest, storeRequest, tieOf, tieRequest, type RecordDeps } from "./requests";

/** POST /log-request (201): the request, recorded as a generation when it names its prompt. */
export async function logPromptLayerRequest(deps: RecordDeps, body: PlLogBody) {
  const facts = factsFromLog(body);
  const named = Boolean(body.prompt_name || body.prompt_id);
  const tie = named
    ? await tieOf(
        deps,
        { name: body.prompt_name, id: body.prompt_id, version: body.prompt_version_number },
        facts.metadata,
      )
    : null;
  const id = await storeRequest(deps, facts, tie);
  return {
    id,
    prompt_version: null,
    status: (body.status ?? "SUCCESS") as "SUCCESS" | "WARNING" | "ERROR",
    error_type: body.error_type ?? null,
    error_message: body.error_message ?? null,
  };
}

/** POST /track-request: what run() and the wrapped SDKs log, with the template's id and version when known. */
export async function trackPromptLayerRequest(deps: RecordDeps, body: PlTrackRequestBody) {
  const facts = factsFromTrack(body);
  if (body.group_id !== undefined && body.group_id !== null) facts.metadata.group_id = String(body.group_id);
  const tie = body.prompt_id
    ? await tieOf(deps, { id: body.prompt_id, version: body.prompt_version }, facts.metadata)
    : null;
  const id = await storeRequest(deps, facts, tie);
  return { success: true, request_id: id, prompt_blueprint: null };
}

const tracked = (what: string) => ({ success: true, message: `${what} tracked successfully` });

/** track.prompt: ties a logged request to a version (a label's, a number, or the newest). */
export async function trackPromptLayerPrompt(deps: RecordDeps, body: z.infer<typeof plTrackPromptBody>) {
  const row = await requestOf(deps, body.request_id);
  const metadata = (row.facts as { metadata: Record<string, string> }).metadata;
  const tie = await tieOf(deps, { name: body.prompt_name, version: body.version, label: body.label }, metadata);
  await tieRequest(deps, row, tie, body.prompt_input_variables);
  return tracked("Prompt");
}

/** track.score: 0–100 under a name ("default" when none). */
export async function trackPromptLayerScore(deps: RecordDeps, body: z.infer<typeof plTrackScoreBody>) {
  const row = await requestOf(deps, body.request_id);
  await scoreRequest(deps, row, { name: body.name ?? "default", value: body.score });
  return tracked("Score");
}

/** track.metadata: string keys and values kept with the request. */
export async function trackPromptLayerMetadata(deps: RecordDeps, body: z.infer<typeof plTrackMetadataBody>) {
  await annotateRequest(deps, await requestOf(deps, body.request_id), body.metadata);
  return tracked("Metadata");
}

/** track.group: Lectern has no request groups; the group's id is kept in the request's metadata as group_id. */
export async function trackPromptLayerGroup(deps: RecordDeps, body: z.infer<typeof plTrackGroupBody>) {
  await annotateRequest(deps, await requestOf(deps, body.request_id), { group_id: String(body.group_id) });
  return tracked("Group");
}
