// A Dotprompt .prompt file as a Lectern version that renders, with the same variables, to what the
// dotprompt library renders. The file is split and read the way the library reads it (frontmatter.ts,
// the library's Picoschema parser, Handlebars' own parser); each text is written as Mustache with the
// whitespace as written, else as the exact text that renders, and kept only when Lectern's parser reads
// it back to the same tree. Without an input schema, each variable's kind comes from how the template
// uses it, and every variable is optional: the library renders a missing one as nothing.
import { picoschema } from "dotprompt";
import YAML from "yaml";
import type { ContentInput, Example, Message, Variable } from "../content";
import type { MessagePart } from "../content-parts";
import { isPlainObject } from "../json";
import { hbsToIr, isPath, type HbsProgram, type HbsStmt } from "./handlebars-ir";
import { declaredInputs, kindOfVariable, variableTypeOf } from "./input-schema";
import { alwaysBlank, FormatRefusal, normalizeIr, refuse, sameIr, type IrNode, type Scope, type ValueKind } from "./ir";
import { dotpromptKeys, lecternConfig, responseFormatOf, splitModel } from "./model-config";
import { mustacheToIr, type PartialLookup } from "./mustache-ir";
import { parseHandlebarsInTurns, splitMessages, type HbsPart } from "./dotprompt-messages";
import { splitFrontmatter } from "./frontmatter";
import { checkTagBudget, refuseYamlAliases, tagCount, yieldTurn } from "./reading-budget";
import { mustacheFromIr } from "./to-mustache";

export interface ImportedFile {
  /** Content as createVersion takes it (validated there). */
  content: ContentInput;
  name?: string;
  description?: string;
  /** lectern.version: the version the file was exported from. */
  version?: number;
  /** A .prompt.yml file's evaluators, as written (lib/evaluation/prompt-files makes them scorers). */
  evaluators?: unknown;
  warnings: string[];
}

const reserved = [
  "name",
  "description",
  "model",
  "config",
  "input",
  "output",
  "tools",
  "toolDefs",
  "variant",
  "version",
  "raw",
  "ext",
  "metadata",
];
const lecternKeys = [
  "lectern.version",
  "lectern.provider",
  "lectern.responseFormat",
  "lectern.history",
  "lectern.examples",
];

// Kinds from use, for a file with no input schema: strongest first.
const strength: ValueKind[] = ["image", "list", "object", "any", "string", "number", "boolean"];
function noteUse(kinds: Map<string, ValueKind>, name: string | undefined, kind: ValueKind) {
  if (!name) return;
  const was = kinds.get(name);
  if (was === undefined || strength.indexOf(kind) < strength.indexOf(was)) kinds.set(name, kind);
}

/** The top-level names a template reads, each with the kind its use implies. */
function inferKinds(stmts: HbsStmt[], kinds: Map<string, ValueKind>, inItem = false): void {
  const head = (e: unknown) =>
    isPath(e as never) && !inItem
      ? (e as { parts: string[]; data: boolean; depth: number }).data
        ? (e as { parts: string[] }).parts[1]
        : (e as { parts: string[] }).parts[0]
      : undefined;
  for (const s of stmts) {
    if (s.type === "MustacheStatement" && isPath(s.path)) {
      const name = s.path.original;
      if (name === "json") noteUse(kinds, head(s.params[0]), "any");
      else if (name === "media") {
        const url = s.hash?.pairs.find((p) => p.key === "url")?.value;
        noteUse(kinds, head(url), "image");
      } else if (s.params.length === 0)
        // `{{user.name}}` reads into an object; `{{name}}` prints text.
        noteUse(kinds, head(s.path), s.path.parts.length > (s.path.data ? 2 : 1) ? "object" : "string");
    }
    if (s.type === "BlockStatement" && isPath(s.path)) {
      const helper = s.path.original;
      const subject = ["if", "unless", "each", "with"].includes(helper) ? s.params[0] : s.path;
      const kind: ValueKind =
        helper === "each"
          ? "list"
          : helper === "with"
            ? "object"
            : helper === "if" || helper === "unless" || !s.program
              ? "boolean"
              : "list";
      noteUse(kinds, head(subject), kind);
      const opens = helper === "each" || helper === "with" || (!["if", "unless"].includes(helper) && !!s.program);
      inferKinds((s.program as HbsProgram | undefined)?.body ?? [], kinds, inItem || opens);
      inferKinds((s.inverse as HbsProgram | undefined)?.body ?? [], kinds, inItem);
    }
  }
}

/**
 * A text part as Mustache, checked by Lectern's own parser against the tree Handlebars gives; each step in a
 * turn of its own (reading-budget.ts).
 */
async function textOf(
  part: Extract<HbsPart, { kind: "text" }>,
  scope: Scope,
  lecternScope: Scope,
  partials: PartialLookup,
  field: string,
): Promise<string | undefined> {
  await yieldTurn();
  const ir = hbsToIr(part.body, scope, part.alt);
  if (alwaysBlank(ir)) return undefined; // the library leaves out a part that is only whitespace
  let last: unknown;
  for (const original of [true, false]) {
    try {
      await yieldTurn();
      const text = mustacheFromIr(original ? ir : normalizeIr(ir), original);
      const back = mustacheToIr({ text, field, partials }, lecternScope) as IrNode[];
      await yieldTurn();
      if (sameIr(back, ir)) return text;
    } catch (e) {
      if (!(e instanceof FormatRefusal)) throw e;
      last = e;
    }
  }
  if (last) throw last;
  return refuse(
    "whitespace",
    "the whitespace around its tags cannot be written so that Lectern renders it the same",
    field,
  );
}

function meta(raw: Record<string, unknown>, warnings: string[]) {
  for (const key of Object.keys(raw)) {
    if (key === "tools" || key === "toolDefs")
      refuse("tools", `${key}: Lectern's versions hold tool definitions, not the names an application resolves`);
    if (key.startsWith("lectern.") && !lecternKeys.includes(key))
      warnings.push(`${key} is not a key Lectern reads; it was left out`);
    else if (!reserved.includes(key) && !lecternKeys.includes(key))
      warnings.push(`${key} is not kept: Lectern has no place for it`);
    else if (key === "variant" || key === "version" || key === "ext" || key === "metadata")
      warnings.push(`${key} is not kept: Lectern versions are numbered by Lectern`);
  }
}

function readFrontmatter(frontmatter: string | undefined): Record<string, unknown> {
  if (frontmatter === undefined) return {};
  const doc = YAML.parseDocument(frontmatter, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) refuse("frontmatter", `frontmatter: YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  refuseYamlAliases(doc, "frontmatter");
  const value: unknown = doc.toJS();
  if (value !== null && !isPlainObject(value)) refuse("frontmatter", "frontmatter must be a YAML mapping");
  return (value ?? {}) as Record<string, unknown>;
}

/** Each input's kind: declared in input.schema, else as the template uses it. */
function inputKinds(
  entries: ReturnType<typeof splitMessages>,
  declared: Awaited<ReturnType<typeof declaredInputs>>,
  warnings: string[],
) {
  const kinds = new Map<string, ValueKind>();
  for (const d of declared) kinds.set(d.name, d.kind);
  const used = new Map<string, ValueKind>();
  for (const e of entries)
    if (e.kind === "message")
      for (const p of e.parts) {
        if (p.kind === "text") inferKinds(p.body, used);
        else if ("variable" in p) noteUse(used, p.variable, "image");
      }
  for (const [name, kind] of used) {
    if (kind === "image") kinds.set(name, "image");
    else if (kinds.get(name) === "any" && kind === "string") {
      // Printed as text, a value of any kind prints the same in both only when it is text.
      kinds.set(name, "string");
      warnings.push(`input ${name} may be any value but is printed as text: declared as a string`);
    } else if (!kinds.has(name)) {
      kinds.set(name, kind);
      if (declared.length)
        warnings.push(`${name} is used but not in input.schema: declared as an optional ${variableTypeOf(kind)}`);
    }
  }
  return kinds;
}

/** The template's messages (and its history placeholder); explicit when it must stay a chat. */
async function messagesOf(
  entries: ReturnType<typeof splitMessages>,
  scope: Scope,
  lecternScope: Scope,
  partials: PartialLookup,
  historyName: string,
) {
  const template: (Message | { type: "placeholder"; name: string })[] = [];
  let explicit = false;
  for (const [i, e] of entries.entries()) {
    const field = `template.messages[${template.length}]`;
    if (e.kind === "history") {
      template.push({ type: "placeholder", name: historyName });
      explicit = true;
      continue;
    }
    const parts: MessagePart[] = [];
    for (const [j, p] of e.parts.entries()) {
      if (p.kind === "text") {
        const where = e.parts.length > 1 ? `${field}.content[${j}]` : field;
        const text = await textOf(p, scope, lecternScope, partials, where);
        if (text !== undefined) parts.push({ type: "text", text });
      } else parts.push("url" in p ? { type: "image", url: p.url } : { type: "image", variable: p.variable });
    }
    if (!parts.length) continue;
    explicit ||= e.explicit || parts.some((p) => p.type === "image") || i > 0;
    const only = parts[0]!;
    template.push({ role: e.role, content: parts.length === 1 && only.type === "text" ? only.text : parts });
  }
  return { template, explicit };
}

/** The model config: the frontmatter's config, model and output format in Lectern's keys. */
async function configOf(raw: Record<string, unknown>) {
  const config: Record<string, unknown> = lecternConfig(raw.config, dotpromptKeys, "config");
  if (raw.model !== undefined) {
    if (typeof raw.model !== "string") refuse("model", "model must be a text: provider/model");
    Object.assign(config, splitModel(raw.model as string, raw["lectern.provider"]));
  } else if (typeof raw["lectern.provider"] === "string" && raw["lectern.provider"])
    config.provider = raw["lectern.provider"];
  // The library reads output.schema as Picoschema too.
  const output =
    isPlainObject(raw.output) && raw.output.schema !== undefined
      ? {
          ...raw.output,
          schema: await picoschema(raw.output.schema).catch((e: unknown) =>
            refuse("output.schema", `output.schema: ${e instanceof Error ? e.message : String(e)}`),
          ),
        }
      : raw.output;
  const responseFormat = responseFormatOf(output, raw["lectern.responseFormat"]);
  if (responseFormat !== undefined) config.responseFormat = responseFormat;
  return config;
}

/** Reads a .prompt file. Throws FormatRefusal naming what Lectern cannot carry. */
export async function fromDotprompt(source: string, partials: PartialLookup): Promise<ImportedFile> {
  const warnings: string[] = [];
  const file = splitFrontmatter(source);
  const raw = readFrontmatter(file.frontmatter);
  meta(raw, warnings);
  checkTagBudget(tagCount(file.template), "source");
  const { body, alt } = await parseHandlebarsInTurns(file.template, yieldTurn);
  const entries = splitMessages(body, alt);
  const input = isPlainObject(raw.input) ? raw.input : {};
  const declared = input.schema !== undefined ? await declaredInputs(input.schema, warnings) : [];
  const kinds = inputKinds(entries, declared, warnings);
  const scope: Scope = { kinds, frames: [] };
  const lecternScope: Scope = {
    kinds: new Map([...kinds].map(([n, k]) => [n, kindOfVariable({ type: variableTypeOf(k) })])),
    frames: [],
  };
  const historyName = typeof raw["lectern.history"] === "string" ? raw["lectern.history"] : "history";
  const { template, explicit } = await messagesOf(entries, scope, lecternScope, partials, historyName);
  if (!template.length) refuse("empty", "the template renders no message");

  const variables: Variable[] = [...kinds].map(([name, kind]) => {
    const d = declared.find((x) => x.name === name);
    const defaults = isPlainObject(input.default) ? input.default : {};
    const type = variableTypeOf(kind);
    if (d?.schema && type === "image") warnings.push(`input ${name} is used as an image: its schema is not kept`);
    return {
      name,
      type,
      required: d ? d.required : false,
      ...(Object.hasOwn(defaults, name) ? { default: defaults[name] } : {}),
      ...(d?.description ? { description: d.description } : {}),
      ...(d?.schema && type !== "image" ? { schema: d.schema } : {}),
    };
  });
  const config = await configOf(raw);
  const first = template[0]!;
  const asText = !explicit && template.length === 1 && "role" in first && typeof first.content === "string";
  const content: ContentInput = {
    ...(asText ? { type: "text", template: first.content as string } : { type: "chat", template }),
    variables,
    config,
    examples: (raw["lectern.examples"] ?? []) as Example[],
  };
  return {
    content,
    ...(typeof raw.name === "string" ? { name: raw.name } : {}),
    ...(typeof raw.description === "string" ? { description: raw.description } : {}),
    ...(typeof raw["lectern.version"] === "number" ? { version: raw["lectern.version"] } : {}),
    warnings,
  };
}
