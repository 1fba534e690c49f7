// From a prompt version to a model request: render the template with the item's variables, map the
// messages to the three roles every provider accepts, and read the call settings from the version's
// config. Tools and response formats are accepted in the shapes people paste from provider docs.
import { AppError } from "../errors";
import type { Content, Message } from "../registry/content";
import { renderContent, skillNotRendered, type RenderOptions } from "../registry/templates/template";
import { schemaValueProblem } from "../registry/templates/variable-schema";
import { compileJsonSchema } from "./json-schema";
import type { JsonSchema, ModelContentPart, ModelMessage, ModelRequest, ResponseFormat, ToolDefinition } from "./types";

/** A message as renderContent returns it: text, or text and image parts (image variables filled in). */
type RenderedMessage = { role: Message["role"]; content: string | ModelContentPart[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const invalid = (field: string, message: string) => new AppError("invalid_input", `${field} ${message}`, { field });

/**
 * Template roles → provider roles. `developer` is OpenAI's newer name for system (the OpenAI provider
 * turns system back into developer for reasoning models). A `tool` message in a template has no tool
 * call to answer, so providers would reject it as a tool result; it is sent as user text instead, and so is
 * `function` (OpenAI's older name for a tool's result, which Langfuse prompts carry). Any other role a message
 * holds (kept as given: docs/decisions/message-roles.md) has no provider role: the call is refused, naming it.
 */
export function toModelMessages(messages: RenderedMessage[]): ModelMessage[] {
  return messages.map((m, i) => {
    switch (m.role) {
      case "system":
      case "developer":
        return { role: "system", content: m.content };
      case "assistant":
        return { role: "assistant", content: m.content };
      case "user":
      case "tool":
      case "function":
        return { role: "user", content: m.content };
      default:
        throw new AppError(
          "unprocessable",
          `messages[${i}] has the role "${m.role}", which no model provider takes: Lectern sends system, user, assistant, developer, tool and function messages. Change the role in a new version to call a model with it.`,
          { field: `messages[${i}].role`, role: m.role },
        );
    }
  });
}

const toolNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Accepts OpenAI's `{type: "function", function: {name, description, parameters}}`, Anthropic's
 * `{name, description, input_schema}` and the flat `{name, description, parameters}`.
 */
export function normalizeTools(raw: unknown, field = "config.tools"): ToolDefinition[] {
  if (!Array.isArray(raw)) throw invalid(field, "must be a list of tool definitions");
  const seen = new Set<string>();
  return raw.map((entry, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(entry)) throw invalid(at, "must be an object with a name");
    const def = entry.type === "function" && isObject(entry.function) ? entry.function : entry;
    const base = def === entry ? at : `${at}.function`;
    const { name, description } = def;
    if (typeof name !== "string" || !toolNamePattern.test(name)) {
      throw invalid(`${base}.name`, "must be 1–64 letters, digits, '_' or '-'");
    }
    if (seen.has(name)) throw invalid(`${base}.name`, `repeats the tool name "${name}"`);
    seen.add(name);
    if (description !== undefined && typeof description !== "string")
      throw invalid(`${base}.description`, "must be a string");
    const key = ["parameters", "input_schema", "inputSchema"].find((k) => def[k] !== undefined);
    const parameters = key ? def[key] : { type: "object", properties: {} };
    if (key) {
      const compiled = compileJsonSchema(parameters);
      if (!compiled.ok) throw invalid(`${base}.${key}`, `is not a valid JSON Schema: ${compiled.error}`);
    }
    return { name, ...(description !== undefined && { description }), parameters: parameters as JsonSchema };
  });
}

const looksLikeSchema = (v: Record<string, unknown>) =>
  "$schema" in v || "properties" in v || v.type === "object" || v.type === "array";

/**
 * Accepts `{type: "text"}`, `{type: "json_object"}` / `{type: "json"}`, OpenAI's
 * `{type: "json_schema", json_schema: {name, schema}}`, the flat `{type: "json_schema", schema}`, or a
 * bare JSON Schema. Returns undefined for null/undefined.
 */
export function normalizeResponseFormat(raw: unknown, field = "config.responseFormat"): ResponseFormat | undefined {
  if (raw === undefined || raw === null) return undefined;
  const shapes =
    'must be {"type": "text"}, {"type": "json_object"}, {"type": "json_schema", "json_schema": {"name", "schema"}} or a JSON Schema';
  if (!isObject(raw)) throw invalid(field, shapes);
  if (raw.type === "text") return { type: "text" };
  if ((raw.type === "json_object" || raw.type === "json") && raw.schema === undefined) return { type: "json" };
  let schemaField: string;
  let holder: Record<string, unknown>;
  if (raw.type === "json_schema" && isObject(raw.json_schema)) {
    holder = raw.json_schema;
    schemaField = `${field}.json_schema.schema`;
  } else if ((raw.type === "json_schema" || raw.type === "json") && raw.schema !== undefined) {
    holder = raw;
    schemaField = `${field}.schema`;
  } else if (looksLikeSchema(raw)) {
    holder = { schema: raw };
    schemaField = field;
  } else {
    throw invalid(field, shapes);
  }
  const compiled = compileJsonSchema(holder.schema);
  if (!compiled.ok) throw invalid(schemaField, `is not a valid JSON Schema: ${compiled.error}`);
  const { name, description } = holder;
  return {
    type: "json",
    schema: holder.schema as JsonSchema,
    ...(typeof name === "string" && name !== "" && { name }),
    ...(typeof description === "string" && description !== "" && { description }),
  };
}

export interface VersionRequestOptions extends RenderOptions {
  /** Used when the version's config names no model (e.g. the connection's default model). */
  defaultModel?: string;
}

export interface VersionRequest {
  request: ModelRequest;
  /** The config's provider ("openai", "anthropic", …), for choosing a connection; not interpreted here. */
  provider?: string;
  /** Render warnings, e.g. supplied variables the version does not declare. */
  warnings: string[];
}

/**
 * Builds the model request for a prompt version and one set of variables. Chat prompts send their
 * rendered messages; text prompts send one user message. Rendering errors (missing or invalid
 * variables, missing partials) propagate as renderContent's AppErrors; a bad config raises
 * invalid_input naming the field; no model at all raises unprocessable.
 */
export function requestForVersion(
  content: Content,
  variables: Record<string, unknown>,
  options: VersionRequestOptions = {},
): VersionRequest {
  const { defaultModel, ...given } = options;
  const render = { checkSchema: schemaValueProblem, ...given };
  const config = content.config;
  const model = config.model ?? defaultModel;
  if (!model) {
    throw new AppError("unprocessable", "config.model is not set: choose the model this version runs on", {
      field: "config.model",
    });
  }
  let messages: ModelMessage[];
  let warnings: string[];
  if (content.type === "skill") throw skillNotRendered();
  if (content.type === "text") {
    const r = renderContent(content, variables, render);
    messages = [{ role: "user", content: r.rendered }];
    warnings = r.warnings;
  } else {
    const r = renderContent(content, variables, render);
    messages = toModelMessages(r.rendered);
    warnings = r.warnings;
  }
  const request: ModelRequest = { model, messages };
  if (config.temperature !== undefined) request.temperature = config.temperature;
  if (config.maxTokens !== undefined) request.maxTokens = config.maxTokens;
  if (config.topP !== undefined) request.topP = config.topP;
  if (config.stop !== undefined && config.stop.length > 0) request.stop = config.stop;
  if (typeof config.seed === "number" && Number.isInteger(config.seed)) request.seed = config.seed;
  if (config.tools !== undefined && config.tools.length > 0) request.tools = normalizeTools(config.tools);
  const responseFormat = normalizeResponseFormat(config.responseFormat);
  if (responseFormat && responseFormat.type !== "text") request.responseFormat = responseFormat;
  return { request, ...(config.provider !== undefined && { provider: config.provider }), warnings };
}
