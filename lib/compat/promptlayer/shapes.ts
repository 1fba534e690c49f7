// PromptLayer's shapes, as its published OpenAPI document (github.com/MagnivOrg/prompt-layer-docs, openapi.json)
// and its clients (npm `promptlayer`, PyPI `promptlayer`) write them: the request bodies this surface reads and
// the answers it writes. Input is loose where PromptLayer's FastAPI server is (unknown keys are ignored: the
// Python client sends `api_key` in every body), and bounded where Lectern stores what it reads.
import { z } from "zod";
import { countParam } from "../../number-params";

const text = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` });

/** A content block (TextContent, ImageContent, MediaVariable…); only those a version can hold are read. */
export const plContentSchema = z.looseObject({ type: z.string() });
export type PlContent =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } }
  | { type: "media_variable"; name: string };

const templateFormat = z.enum(["f-string", "jinja2"], { error: 'template_format must be "f-string" or "jinja2"' });

const plMessageSchema = z.looseObject({
  role: z.string({ error: "each message needs a role" }),
  content: z.array(plContentSchema).nullish(),
  template_format: templateFormat.optional(),
  name: z.string().nullish(),
  tool_calls: z.array(z.unknown()).nullish(),
  function_call: z.unknown().optional(),
});
export type PlMessageInput = z.infer<typeof plMessageSchema>;

/** ChatPrompt | CompletionPrompt, as a publish or an import reads it. */
export const plPromptTemplateSchema = z.discriminatedUnion(
  "type",
  [
    z.looseObject({
      type: z.literal("chat"),
      messages: z.array(plMessageSchema, { error: "messages must be a list" }),
      tools: z.array(z.unknown()).nullish(),
      functions: z.array(z.unknown()).nullish(),
      tool_choice: z.unknown().optional(),
      function_call: z.unknown().optional(),
    }),
    z.looseObject({
      type: z.literal("completion"),
      content: z.array(plContentSchema, { error: "content must be a list of content blocks" }),
      template_format: templateFormat.optional(),
    }),
  ],
  { error: 'prompt_template.type must be "chat" or "completion"' },
);
export type PlPromptTemplateInput = z.infer<typeof plPromptTemplateSchema>;

/** Metadata.model: {provider, name, parameters}. */
export const plModelSchema = z.looseObject({
  provider: z.string().max(100).nullish(),
  name: z.string().max(200).nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
});
export const plMetadataSchema = z.looseObject({ model: plModelSchema.nullish() }).nullish();

/** POST /prompt-templates/{identifier} (GetPromptTemplate). A label wins over a version, as in PromptLayer. */
export const plGetBody = z.looseObject({
  version: z.number().int().positive({ error: "version must be greater than 0" }).nullish(),
  label: text(100).min(1).nullish(),
  provider: text(100).nullish(),
  model: text(200).nullish(),
  input_variables: z.record(z.string(), z.unknown(), { error: "input_variables must be an object" }).nullish(),
  metadata_filters: z
    .record(z.string(), z.string(), { error: "metadata_filters must be an object of strings" })
    .nullish(),
  model_parameter_overrides: z.record(z.string(), z.unknown()).nullish(),
  skip_input_variable_rendering: z.boolean().nullish(),
});
export type PlGetBody = z.infer<typeof plGetBody>;

/** GET /prompt-templates/{identifier} (the raw template: never rendered). */
export const plRawQuery = z.object({
  version: countParam("version", 1, 2_147_483_647).optional().describe("The version number to answer"),
  label: text(100)
    .min(1)
    .optional()
    .describe("A release label (an environment, or a version label) whose version to answer"),
  include_llm_kwargs: z
    .enum(["true", "false"])
    .optional()
    .describe("Whether to include llm_kwargs (the provider's call arguments) where the version has a model"),
  resolve_snippets: z
    .enum(["true", "false"])
    .optional()
    .describe("Whether partials (PromptLayer's snippets) are expanded; Lectern always answers the composed template"),
});

/** GET /prompt-templates (templates.all). */
export const plListQuery = z.object({
  page: countParam("page", 1, 1_000_000).default(1).describe("The page, from 1"),
  per_page: countParam("per_page", 1, 100).default(30).describe("Templates per page (at most 100)"),
  label: text(100).min(1).optional().describe("Answer the version this environment serves, instead of the newest"),
  name: text(255).optional().describe("Only prompts whose name contains this text"),
});
export type PlListQuery = z.infer<typeof plListQuery>;

const basePromptTemplate = z.looseObject({
  prompt_name: z.string({ error: "prompt_template.prompt_name is required" }).min(1).max(512),
  tags: z.array(z.string()).nullish(),
});

/** POST /rest/prompt-templates (CreatePromptTemplate): the clients send the same object as both halves. */
export const plPublishBody = z.object({
  prompt_template: basePromptTemplate,
  prompt_version: z.looseObject({
    prompt_template: plPromptTemplateSchema,
    commit_message: text(1000).nullish(),
    metadata: plMetadataSchema,
  }),
  release_labels: z.array(text(100), { error: "release_labels must be a list of names" }).max(20).nullish(),
});
export type PlPublishBody = z.infer<typeof plPublishBody>;

// ---- Answers -------------------------------------------------------------------------------------------

const plMessageOut = z.looseObject({ role: z.string(), content: z.array(z.unknown()).optional() });
export const plPromptTemplateOut = z.union([
  z.looseObject({ type: z.literal("chat"), messages: z.array(plMessageOut), input_variables: z.array(z.string()) }),
  z.looseObject({
    type: z.literal("completion"),
    content: z.array(z.unknown()),
    template_format: templateFormat,
    input_variables: z.array(z.string()),
  }),
]);
export const plModelOut = z.object({
  provider: z.string(),
  name: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  api_type: z.string().optional(),
});
const plMetadataOut = z.looseObject({ model: plModelOut.optional() });

const plTemplateFields = {
  id: z.number().int(),
  prompt_name: z.string(),
  version: z.number().int(),
  prompt_template: plPromptTemplateOut,
  metadata: plMetadataOut,
  commit_message: z.string().nullable(),
  tags: z.array(z.string()),
  llm_kwargs: z.record(z.string(), z.unknown()).nullable(),
};

/** POST /prompt-templates/{identifier}: one version, rendered when input_variables were given. */
export const plTemplateResponse = z.object({
  success: z.boolean(),
  ...plTemplateFields,
  workspace_id: z.number().int(),
  snippets: z.array(z.unknown()),
  warning: z.string().nullable(),
});

/** GET /prompt-templates (ListPromptTemplates). */
export const plListResponse = z.object({
  has_next: z.boolean(),
  has_prev: z.boolean(),
  items: z.array(z.object({ ...plTemplateFields, external_ids: z.array(z.unknown()), is_snippet: z.boolean() })),
  next_num: z.number().int().nullable(),
  prev_num: z.number().int().nullable(),
  page: z.number().int(),
  pages: z.number().int(),
  per_page: z.number().int(),
  total: z.number().int(),
});

/** POST /rest/prompt-templates (CreatePromptTemplateResponse). */
export const plPublishResponse = z.object({
  id: z.number().int(),
  prompt_name: z.string(),
  prompt_version_id: z.number().int(),
  version_number: z.number().int(),
  tags: z.array(z.string()),
  release_labels: z.array(z.string()),
  prompt_template: plPromptTemplateOut,
  metadata: plMetadataOut,
  commit_message: z.string().nullable(),
  external_ids: z.array(z.unknown()),
});
