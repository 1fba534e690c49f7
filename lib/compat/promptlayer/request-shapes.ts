// The request logs PromptLayer's clients send (logRequest; track-request from `run()` and the wrapped
// OpenAI/Anthropic clients; track.prompt / score / metadata / group), as its OpenAPI document and the clients'
// source write them, and what this surface answers. Bounded: what is kept is bounded before it is stored.
import { z } from "zod";

/** A time as PromptLayer's clients send it: ISO 8601 (OpenAPI, run()), or a Unix time in seconds or ms. */
const instant = z.union([z.string().max(64), z.number().finite()], {
  error: "must be an ISO 8601 time or a Unix time",
});
const requestId = z.union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/)], {
  error: "request_id must be the id logging the request answered",
});
/** PromptLayer's metadata: string keys and values (its clients check); numbers are kept as text. */
const metadata = z
  .record(z.string().max(1024), z.union([z.string().max(4096), z.number(), z.boolean()]).transform(String))
  .refine((m) => Object.keys(m).length <= 100, { error: "metadata must have at most 100 keys" });
const tags = z.array(z.string().max(512)).max(100);
const status = z.enum(["SUCCESS", "WARNING", "ERROR"]);

/** POST /log-request (LogRequest). */
export const plLogBody = z.looseObject({
  provider: z.string().max(100),
  model: z.string().max(200),
  input: z.unknown(),
  output: z.unknown(),
  request_start_time: instant,
  request_end_time: instant,
  parameters: z.record(z.string(), z.unknown()).nullish(),
  tags: tags.nullish(),
  metadata: metadata.nullish(),
  prompt_name: z.string().max(255).nullish(),
  prompt_id: z.number().int().nonnegative().nullish(),
  prompt_version_number: z.number().int().positive().nullish(),
  prompt_input_variables: z.record(z.string(), z.unknown()).nullish(),
  input_tokens: z.number().int().nonnegative().nullish(),
  output_tokens: z.number().int().nonnegative().nullish(),
  price: z.number().nonnegative().nullish(),
  score: z.number().int().min(0).max(100).nullish(),
  status: status.nullish(),
  error_type: z.string().max(100).nullish(),
  error_message: z.string().max(1024).nullish(),
});
export type PlLogBody = z.infer<typeof plLogBody>;

/** POST /track-request (the clients' own logging: run(), the wrapped provider SDKs). */
export const plTrackRequestBody = z.looseObject({
  function_name: z.string().max(200).nullish(),
  provider_type: z.string().max(100).nullish(),
  kwargs: z.record(z.string(), z.unknown()).nullish(),
  request_response: z.unknown(),
  request_start_time: instant,
  request_end_time: instant,
  tags: tags.nullish(),
  metadata: metadata.nullish(),
  prompt_id: z.number().int().nonnegative().nullish(),
  prompt_version: z.number().int().positive().nullish(),
  prompt_input_variables: z.record(z.string(), z.unknown()).nullish(),
  group_id: z.number().int().nullish(),
  status: status.nullish(),
  error_type: z.string().max(100).nullish(),
  error_message: z.string().max(1024).nullish(),
});
export type PlTrackRequestBody = z.infer<typeof plTrackRequestBody>;

/** track.prompt (POST /library-track-prompt, /rest/track-prompt). */
export const plTrackPromptBody = z.looseObject({
  request_id: requestId,
  prompt_name: z.string().min(1).max(255),
  prompt_input_variables: z.record(z.string(), z.unknown()).nullish(),
  version: z
    .union([
      z.number().int().positive(),
      z
        .string()
        .regex(/^\d{1,9}$/)
        .transform(Number),
    ])
    .nullish(),
  label: z.string().min(1).max(100).nullish(),
});

/** track.score (POST /library-track-score, /rest/track-score): 0–100, named ("default" when not). */
export const plTrackScoreBody = z.looseObject({
  request_id: requestId,
  score: z
    .number()
    .int()
    .min(0, { error: "score must be from 0 to 100" })
    .max(100, { error: "score must be from 0 to 100" }),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,50}$/, { error: "name must be 1–50 letters, digits, '_', '.' or '-'" })
    .nullish(),
});

/** track.metadata (POST /library-track-metadata, /rest/track-metadata). */
export const plTrackMetadataBody = z.looseObject({ request_id: requestId, metadata });

/** track.group (POST /track-group, /rest/track-group). */
export const plTrackGroupBody = z.looseObject({ request_id: requestId, group_id: z.number().int() });

export const plLogResponse = z.object({
  id: z.number().int(),
  prompt_version: z
    .looseObject({})
    .nullable()
    .describe(
      "PromptLayer's prompt version for the request; Lectern answers null (the version is in the generation it recorded)",
    ),
  status: status,
  error_type: z.string().nullable(),
  error_message: z.string().nullable(),
});
export const plTrackRequestResponse = z.object({
  success: z.boolean(),
  request_id: z.number().int(),
  prompt_blueprint: z
    .looseObject({})
    .nullable()
    .describe("PromptLayer's blueprint of the tracked request; Lectern answers null"),
});
export const plTrackResponse = z.object({ success: z.boolean(), message: z.string() });
