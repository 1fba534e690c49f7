// A version's model settings in the two file formats' words. Dotprompt (Genkit) names a model
// "provider/model" and its settings maxOutputTokens and stopSequences; GitHub Models' .prompt.yml keeps
// maxTokens, temperature and topP. Lectern's config is loose (provider-specific keys survive), so the
// mapping renames what has another name and refuses what the other side has no place for.
import { deepEqual, isPlainObject } from "../json";
import type { ModelConfig } from "../content";
import { refuse } from "./ir";

/**
 * Lectern's connection kinds (lib/llm/connection.ts providerKinds; registry may not import llm, and
 * test/formats-providers.test.ts keeps the two lists equal): the prefixes of "provider/model" read back
 * as a provider. Any other prefix ("googleai/gemini-2.5-flash") stays part of the model's name.
 */
export const knownProviders = ["openai", "anthropic", "openai-compatible", "scripted"];

/** "openai/gpt-4o" → {provider, model} when the prefix is a provider Lectern knows, else the whole name. */
export function splitModel(name: string, hint?: unknown): { provider?: string; model: string } {
  if (typeof hint === "string" && hint && name.startsWith(`${hint}/`))
    return { provider: hint, model: name.slice(hint.length + 1) };
  const slash = name.indexOf("/");
  const prefix = name.slice(0, slash);
  return slash > 0 && knownProviders.includes(prefix)
    ? { provider: prefix, model: name.slice(slash + 1) }
    : { model: name };
}

export function joinModel(config: ModelConfig): { model?: string; providerHint?: string } {
  const { provider, model } = config;
  if (model === undefined) return provider ? { providerHint: provider } : {};
  const joined = provider ? `${provider}/${model}` : model;
  const back = splitModel(joined);
  // Written in the file only when the name alone would not give the same provider back.
  return back.provider === provider && back.model === model
    ? { model: joined }
    : { model: joined, providerHint: provider ?? "" };
}

/** Lectern's responseFormat as Dotprompt's output: {format, schema}. */
export function outputOf(responseFormat: unknown): { format: "json" | "text"; schema?: unknown } | undefined {
  if (responseFormat === undefined || responseFormat === null) return undefined;
  const rf = isPlainObject(responseFormat) ? responseFormat : {};
  if (rf.type === "text") return { format: "text" };
  if ((rf.type === "json_object" || rf.type === "json") && rf.schema === undefined) return { format: "json" };
  if (rf.type === "json_schema" && isPlainObject(rf.json_schema) && rf.json_schema.schema !== undefined)
    return { format: "json", schema: rf.json_schema.schema };
  if ((rf.type === "json_schema" || rf.type === "json") && rf.schema !== undefined)
    return { format: "json", schema: rf.schema };
  if ("properties" in rf || "$schema" in rf || rf.type === "object" || rf.type === "array")
    return { format: "json", schema: rf };
  return refuse("responseFormat", "config.responseFormat is not a response format Lectern reads");
}

/** Dotprompt's output as Lectern's responseFormat; `exact` (written by an export) wins while it still says the same. */
export function responseFormatOf(output: unknown, exact?: unknown): unknown {
  if (output === undefined || output === null) return undefined;
  if (!isPlainObject(output)) return refuse("output", "output must be a mapping: {format, schema}");
  const { format, schema } = output;
  if (format !== undefined && format !== "json" && format !== "text")
    refuse("output.format", `output.format ${JSON.stringify(format)}: Lectern's versions answer text or JSON`);
  if (format === "text" || (format === undefined && schema === undefined)) {
    const mine = { type: "text" };
    return exact !== undefined && deepEqual(outputOf(exact), { format: "text" }) ? exact : mine;
  }
  const mine =
    schema === undefined ? { type: "json_object" } : { type: "json_schema", json_schema: { name: "output", schema } };
  return exact !== undefined && deepEqual(outputOf(exact), outputOf(mine)) ? exact : mine;
}

/** The renames between Lectern's config keys and the file format's. */
export type KeyMap = Record<string, string>;
export const dotpromptKeys: KeyMap = { maxTokens: "maxOutputTokens", stop: "stopSequences" };

const handledElsewhere = ["provider", "model", "responseFormat", "tools"];

/** The config a file holds: Lectern's keys renamed, minus what is written elsewhere. */
export function fileConfig(config: ModelConfig, keys: KeyMap, format: string): Record<string, unknown> {
  if (config.tools !== undefined && config.tools.length > 0)
    refuse(
      "tools",
      `config.tools: ${format === "dotprompt" ? "a .prompt file names tools the application defines" : "a .prompt.yml file has no tools"}; Lectern's tool definitions cannot be carried`,
    );
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (handledElsewhere.includes(k) || v === undefined) continue;
    if (Object.values(keys).includes(k))
      refuse(
        "config-key",
        `config.${k}: the file calls Lectern's ${Object.keys(keys).find((x) => keys[x] === k)} ${k}`,
      );
    out[keys[k] ?? k] = v;
  }
  return out;
}

/** The reverse of fileConfig. */
export function lecternConfig(config: unknown, keys: KeyMap, field: string): Record<string, unknown> {
  if (config === undefined || config === null) return {};
  if (!isPlainObject(config)) return refuse(field, `${field} must be a mapping`);
  const back = Object.fromEntries(Object.entries(keys).map(([a, b]) => [b, a]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (handledElsewhere.includes(k))
      refuse(
        field,
        `${field}.${k}: write the model at the top of the file${k === "tools" ? "; tools cannot be carried" : ""}`,
      );
    if (Object.keys(keys).includes(k) && !Object.values(keys).includes(k))
      refuse(field, `${field}.${k}: the file calls it ${keys[k]}`);
    out[back[k] ?? k] = v;
  }
  return out;
}
