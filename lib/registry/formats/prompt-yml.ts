// GitHub Models' .prompt.yml (github/gh-models pkg/prompt): name, description, model, modelParameters
// {maxTokens, temperature, topP}, responseFormat and jsonSchema, messages {role, content}, testData and
// evaluators. Its templates replace each `{{key}}` with the value of that key and nothing else, so a
// version converts when its texts are text and plain `{{name}}` tags of text, number or boolean variables;
// anything else (sections, partials, images, JSON values) is refused. testData ↔ the version's examples.
// .prompt.yml declares no variables: a default goes into testData (each example that leaves it out, or one row of
// the defaults when there are none), a schema is left out, each with a warning comment at the top. A prompt's tests
// dataset (lib/evaluation/prompt-files), when it has one, is the testData instead of the examples, and its scorers
// the evaluators (`tests` and `evaluators` given by the caller). The version a file came from is kept in a comment
// (`# lectern: version 3, chat`): GitHub's format has no field for it.
import YAML from "yaml";
import { checkTagBudget, refuseYamlAliases, tagCount } from "./reading-budget";
import type { Content, ContentInput, Example, Message } from "../content";
import { isPlaceholder } from "../content-model";
import { isPlainObject } from "../json";
import { kindOfVariable } from "./input-schema";
import { FormatRefusal, normalizeIr, refuse, type Scope, type ValueKind } from "./ir";
import { joinModel, outputOf, splitModel } from "./model-config";
import type { FileSource } from "./dotprompt-export";
import type { ImportedFile } from "./dotprompt-import";
import { mustacheToIr } from "./mustache-ir";

const roles: Partial<Record<Message["role"], string>> = { system: "system", user: "user", assistant: "assistant" };
const parameters = ["maxTokens", "temperature", "topP"];

function text(template: string, field: string, scope: Scope): string {
  let nodes;
  try {
    nodes = normalizeIr(mustacheToIr({ text: template, field, partials: () => undefined }, scope));
  } catch (e) {
    if (e instanceof FormatRefusal)
      return refuse(e.construct, `${e.message} (.prompt.yml only replaces {{name}})`, field);
    throw e;
  }
  return nodes
    .map((n) => {
      if (n.t === "text") return n.s;
      if (n.t === "comment") return ""; // renders nothing in Lectern; GitHub would print it
      const kind = n.t === "value" && n.path.length === 1 ? scope.kinds.get(n.path[0]!) : undefined;
      if (n.t === "value" && (kind === "string" || kind === "number" || kind === "boolean")) return `{{${n.path[0]}}}`;
      const what =
        n.t === "value"
          ? n.path.length > 1
            ? `{{${n.path.join(".")}}} reads into a value`
            : `{{${n.path.join(".")}}} is a JSON value`
          : n.t === "partial"
            ? `the partial {{> ${n.name}}}`
            : `the section {{${n.t === "unless" ? "^" : "#"}${n.path.join(".")}}}`;
      return refuse(
        n.t === "value" || n.t === "partial" ? n.t : "section",
        `${what}: .prompt.yml only replaces {{name}} with text`,
        field,
      );
    })
    .join("");
}

function config(content: Content): Record<string, unknown> {
  const c = content.config;
  const out: Record<string, unknown> = {};
  const { model, providerHint } = joinModel(c);
  if (providerHint !== undefined)
    refuse(
      "provider",
      `config.provider ${providerHint}: .prompt.yml names a model as publisher/model only`,
      "config.provider",
    );
  if (model !== undefined) out.model = model;
  const extra = Object.keys(c).filter(
    (k) => !["provider", "model", "responseFormat", ...parameters].includes(k) && c[k] !== undefined,
  );
  if (extra.length)
    refuse(
      extra[0] === "tools" ? "tools" : "config-key",
      `config.${extra[0]}: .prompt.yml has maxTokens, temperature and topP only`,
      `config.${extra[0]}`,
    );
  const params = Object.fromEntries(parameters.filter((k) => c[k] !== undefined).map((k) => [k, c[k]]));
  if (Object.keys(params).length) out.modelParameters = params;
  const output = outputOf(c.responseFormat);
  if (output) {
    out.responseFormat =
      output.format === "text" ? "text" : output.schema === undefined ? "json_object" : "json_schema";
    if (output.schema !== undefined) {
      const rf = c.responseFormat as Record<string, unknown>;
      const holder =
        rf.type === "json_schema" && isPlainObject(rf.json_schema)
          ? rf.json_schema
          : { name: "output", schema: output.schema };
      out.jsonSchema = JSON.stringify(holder, null, 2);
    }
  }
  return out;
}

/** A prompt's tests and evaluators, from its tests dataset (lib/evaluation/prompt-files), for the export. */
export interface PromptYmlTests {
  /** The dataset's items: testData rows, `expected` beside the variables. */
  tests: Example[];
  evaluators: Record<string, unknown>[];
  /** What the file could not carry (scorers with no evaluator): written as warnings at its top. */
  warnings: string[];
}

function testData(examples: Example[], defaults: Record<string, unknown>): Record<string, unknown>[] {
  const rows = examples.map((e, i) => {
    if (Object.hasOwn(e.input, "expected"))
      refuse("examples", "an example input named expected: testData keeps the expected output there", `examples[${i}]`);
    return { ...defaults, ...e.input, ...(e.output !== "" ? { expected: e.output } : {}) };
  });
  return rows.length || !Object.keys(defaults).length ? rows : [{ ...defaults }];
}

/** Variables with a default: .prompt.yml has no place for them but testData; nor for a schema, said, not dropped. */
function defaultsOf(content: Content): { defaults: Record<string, unknown>; warnings: string[] } {
  const defaulted = content.variables.filter((v) => v.default !== undefined);
  return {
    defaults: Object.fromEntries(defaulted.map((v) => [v.name, v.default])),
    warnings: [
      ...defaulted.map(
        (v) =>
          `variable ${v.name} defaults to ${JSON.stringify(v.default)}: .prompt.yml declares no variables, so the default is written into testData${content.examples.length ? " (each row without it)" : ""}; an application must pass it`,
      ),
      ...content.variables
        .filter((v) => v.schema)
        .map((v) => `variable ${v.name} has a JSON Schema, left out: the Dotprompt export keeps it`),
    ],
  };
}

/**
 * The .prompt.yml of a version, and what it could only approximate (also written as comments at its top).
 * Throws FormatRefusal naming what the format cannot carry.
 */
export function promptYmlOf(src: FileSource & { displayName?: string | null; tests?: PromptYmlTests }): {
  text: string;
  warnings: string[];
} {
  const { content } = src;
  if (content.type === "skill") return refuse("type", "a skill has files, not messages: it has no .prompt.yml", "type");
  const { defaults, warnings } = defaultsOf(content);
  const examples = src.tests?.tests ?? content.examples;
  warnings.push(...(src.tests?.warnings ?? []));
  const scope: Scope = {
    kinds: new Map<string, ValueKind>(content.variables.map((v) => [v.name, kindOfVariable(v)])),
    frames: [],
  };
  const messages =
    content.type === "text"
      ? [{ role: "user", content: text(content.template, "template", scope) }]
      : content.template.map((m, i) => {
          const field = `template.messages[${i}]`;
          if (isPlaceholder(m))
            return refuse(
              "placeholder",
              `the placeholder ${m.name}: .prompt.yml has no slot for a conversation`,
              field,
            );
          if (!roles[m.role])
            return refuse("role", `role ${m.role}: .prompt.yml has system, user and assistant`, field);
          if (typeof m.content !== "string")
            return refuse("image", "a message with images: .prompt.yml messages are text", field);
          return { role: roles[m.role], content: text(m.content, field, scope) };
        });
  const body = {
    name: src.displayName || src.name,
    ...(src.description ? { description: src.description } : {}),
    ...config(content),
    messages,
    ...(examples.length || Object.keys(defaults).length ? { testData: testData(examples, defaults) } : {}),
    ...(src.tests?.evaluators.length ? { evaluators: src.tests.evaluators } : {}),
  };
  const head =
    (src.version !== undefined ? `# lectern: version ${src.version}, ${content.type}\n` : "") +
    warnings.map((w) => `# warning: ${w.replace(/\s+/g, " ")}\n`).join("");
  // No anchors for repeated values: an import refuses aliases.
  const yaml = new YAML.Document(body, { aliasDuplicateObjects: false }).toString({
    lineWidth: 0,
    blockQuote: "literal",
  });
  return { text: head + yaml, warnings };
}

/** The .prompt.yml of a version (promptYmlOf's text). */
export const toPromptYml = (src: Parameters<typeof promptYmlOf>[0]): string => promptYmlOf(src).text;

const header = /^# lectern: version (\d{1,9})(?:, (text|chat))?[ \t]*$/m;
const known = [
  ...["name", "description", "model", "modelParameters", "responseFormat", "jsonSchema", "messages"],
  ...["testData", "evaluators"],
];

function template(content: string, field: string, names: Set<string>): string {
  // gh-models replaces `{{key}}` literally; anything else between braces stays text there but would be a
  // tag to Mustache.
  for (const m of content.matchAll(/\{\{([^{}]*)\}\}|\{\{/g)) {
    const name = m[1];
    if (name !== undefined && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) names.add(name);
    else
      refuse(
        "template",
        `${JSON.stringify(m[0])}: .prompt.yml replaces {{name}} only; Lectern would read this as a tag`,
        field,
      );
  }
  return content;
}

function kindFromTests(name: string, tests: Record<string, unknown>[]): "string" | "number" | "boolean" {
  const values = tests.map((t) => t[name]).filter((v) => v !== undefined);
  if (values.length && values.every((v) => typeof v === "number")) return "number";
  if (values.length && values.every((v) => typeof v === "boolean")) return "boolean";
  return "string";
}

/** Reads a .prompt.yml. Throws FormatRefusal naming what Lectern cannot read. */
export function fromPromptYml(source: string): ImportedFile {
  const warnings: string[] = [];
  const doc = YAML.parseDocument(source, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) refuse("yaml", `YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  refuseYamlAliases(doc, "source");
  const raw: unknown = doc.toJS();
  if (!isPlainObject(raw)) return refuse("yaml", "a .prompt.yml file is a YAML mapping");
  for (const k of Object.keys(raw))
    if (!known.includes(k)) warnings.push(`${k} is not a .prompt.yml key; it was left out`);
  if (!Array.isArray(raw.messages) || raw.messages.length === 0)
    refuse("messages", "messages must list at least one {role, content}", "messages");
  const names = new Set<string>();
  let tags = 0;
  const messages = (raw.messages as unknown[]).map((m, i) => {
    const field = `messages[${i}]`;
    if (!isPlainObject(m) || typeof m.role !== "string" || typeof m.content !== "string")
      return refuse("messages", "each message must be {role, content} with text content", field);
    const role = m.role.toLowerCase();
    if (!["system", "user", "assistant"].includes(role))
      return refuse("role", `role ${m.role}: GitHub Models reads system, user and assistant`, field);
    checkTagBudget((tags += tagCount(m.content)), `${field}.content`);
    return { role: role as Message["role"], content: template(m.content, `${field}.content`, names) };
  });
  if (raw.testData !== undefined && raw.testData !== null && !Array.isArray(raw.testData))
    refuse("testData", "testData must be a list of mappings", "testData");
  const tests = ((raw.testData ?? []) as unknown[]).map((t, i) =>
    isPlainObject(t) ? t : refuse("testData", "each test must be a mapping of values", `testData[${i}]`),
  );
  const examples = tests.map((t, i) => {
    const { expected, ...input } = t;
    if (expected !== undefined && typeof expected !== "string")
      refuse("testData", "expected must be text", `testData[${i}].expected`);
    return { input, output: (expected as string | undefined) ?? "" };
  });
  const cfg: Record<string, unknown> = isPlainObject(raw.modelParameters) ? { ...raw.modelParameters } : {};
  if (raw.model !== undefined) {
    if (typeof raw.model !== "string") refuse("model", "model must be a text: publisher/model", "model");
    Object.assign(cfg, splitModel(raw.model as string));
  }
  if (raw.responseFormat !== undefined) {
    const rf = raw.responseFormat;
    if (rf === "text" || rf === "json_object") cfg.responseFormat = { type: rf };
    else if (rf === "json_schema") {
      let schema: unknown;
      try {
        schema = JSON.parse(String(raw.jsonSchema));
      } catch {
        refuse("jsonSchema", "jsonSchema must be JSON text holding {name, schema}", "jsonSchema");
      }
      if (!isPlainObject(schema) || !("name" in schema) || !("schema" in schema))
        refuse("jsonSchema", "jsonSchema must hold name and schema", "jsonSchema");
      cfg.responseFormat = { type: "json_schema", json_schema: schema };
    } else refuse("responseFormat", "responseFormat must be text, json_object or json_schema", "responseFormat");
  }
  const head = header.exec(source);
  const asText = head?.[2] !== "chat" && messages.length === 1 && messages[0]!.role === "user";
  const content: ContentInput = {
    ...(asText ? { type: "text", template: messages[0]!.content } : { type: "chat", template: messages }),
    variables: [...names].map((name) => ({ name, type: kindFromTests(name, tests), required: true })),
    config: cfg,
    examples,
  };
  return {
    content,
    ...(typeof raw.name === "string" ? { name: raw.name } : {}),
    ...(typeof raw.description === "string" ? { description: raw.description } : {}),
    ...(head ? { version: Number(head[1]) } : {}),
    ...(raw.evaluators !== undefined && raw.evaluators !== null ? { evaluators: raw.evaluators } : {}),
    warnings,
  };
}

/**
 * The warning for a file's evaluators where nothing imports them (`lectern push`; the import endpoint makes them a
 * dataset's scorers): never dropped quietly.
 */
export function unimportedEvaluators(file: ImportedFile): string[] {
  const n = Array.isArray(file.evaluators) ? file.evaluators.length : 0;
  return n
    ? [
        `${n} evaluator${n > 1 ? "s" : ""} not imported: the import endpoint (POST /api/v1/prompts/import) makes them the scorers of the prompt's tests dataset`,
      ]
    : [];
}
