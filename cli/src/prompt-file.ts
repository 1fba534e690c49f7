// One prompt as a YAML file: prompts/<name>.yaml. Written in a fixed key order with block scalars for
// multi-line text, so pulling twice gives identical bytes and a change shows up in git as the lines
// that changed. Read back into the server's content model, with every problem located by file, field
// and line.
import YAML, { isMap, isScalar, LineCounter, Scalar, type Document } from "yaml";
import { isPlaceholder } from "../../lib/registry/content-model";
import type { Content, Message } from "../../lib/registry/content";
import { maxVersion } from "../../lib/number-params";

/** What a prompt file holds besides its name (the path is the name). */
export interface PromptFileData {
  /** The version the file came from; null for a prompt that does not exist on the server yet. */
  version: number | null;
  description: string;
  tags: string[];
  content: Content;
}

export interface FileProblem {
  file: string;
  /** Where in the file, as written there: "messages[1].content", "variables[0].name", "version". */
  field?: string;
  line?: number;
  message: string;
}

export const topLevelKeys = [
  "version",
  "type",
  "description",
  "tags",
  "template",
  "messages",
  "variables",
  "config",
  "examples",
] as const;
const configOrder = ["provider", "model", "temperature", "maxTokens", "topP", "stop", "tools", "responseFormat"];

function orderedConfig(config: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(config);
  const known = configOrder.filter((k) => keys.includes(k));
  const rest = keys.filter((k) => !configOrder.includes(k)).sort();
  return Object.fromEntries([...known, ...rest].map((k) => [k, config[k]]));
}

/** The plain object a file holds, keys in the order they are written. */
export function fileObject(data: PromptFileData): Record<string, unknown> {
  const c = data.content;
  const out: Record<string, unknown> = {};
  if (data.version !== null) out.version = data.version;
  out.type = c.type;
  if (data.description) out.description = data.description;
  if (data.tags.length) out.tags = data.tags;
  // A skill's files live beside this file, in its folder (skill-folder.ts): this is its .lectern.yaml.
  if (c.type === "skill") {
    /* no template */
  } else if (c.type === "text") out.template = c.template;
  else
    out.messages = c.template.map((m) =>
      isPlaceholder(m) ? { placeholder: m.name } : { role: m.role, content: m.content },
    );
  if (c.variables.length) {
    out.variables = c.variables.map((v) => ({
      name: v.name,
      type: v.type,
      required: v.required,
      ...(v.default !== undefined ? { default: v.default } : {}),
      ...(v.description !== undefined ? { description: v.description } : {}),
      ...(v.schema !== undefined ? { schema: v.schema } : {}),
    }));
  }
  if (Object.keys(c.config).length) out.config = orderedConfig(c.config);
  if (c.examples.length) out.examples = c.examples.map((e) => ({ input: e.input, output: e.output }));
  return out;
}

const toStringOptions = { lineWidth: 0, blockQuote: "literal", indentSeq: true } as const;

/** The file's text. Multi-line strings become literal blocks (`|`, `|-`, `|+` keep trailing newlines exactly). */
export function serializePrompt(data: PromptFileData): string {
  return new YAML.Document(fileObject(data)).toString(toStringOptions);
}

/**
 * Sets `version:` in a file's text by editing that one value in place, so everything else (comments,
 * folded or quoted strings, key order) stays byte for byte as the author wrote it.
 */
export function setFileVersion(text: string, version: number): string {
  // The number comes from the server: anything else would be written into the file as it came.
  if (!Number.isSafeInteger(version) || version < 1)
    throw new Error(`${JSON.stringify(version)} is not a version number`);
  const doc = YAML.parseDocument(text);
  if (!isMap(doc.contents)) throw new Error("not a YAML mapping");
  const map = doc.contents;
  const node = doc.get("version", true);
  if (!map.flow && isScalar(node) && node.range) {
    const [start, end] = node.range;
    return start === end
      ? `${text.slice(0, start)} ${version}${text.slice(end)}`
      : `${text.slice(0, start)}${version}${text.slice(end)}`;
  }
  const firstKey = map.items[0]?.key as { range?: [number, number, number] } | undefined;
  if (!map.flow && !doc.has("version") && firstKey?.range) {
    const at = text.lastIndexOf("\n", firstKey.range[0] - 1) + 1;
    return `${text.slice(0, at)}version: ${version}\n${text.slice(at)}`;
  }
  // A flow mapping ({type: text, …}) or an unusual version value: rewrite the document.
  doc.set("version", version);
  return doc.toString(toStringOptions);
}

export interface ParsedFile {
  data: PromptFileData;
  doc: Document;
  lines: LineCounter;
}

type Path = (string | number)[];

/** "messages[1].content" for ["messages", 1, "content"]. */
export const showPath = (path: Path) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${p}` : p)).join("");

/** The line where a path's value starts, or of its nearest ancestor that exists. */
export function lineOf(
  parsed: Pick<ParsedFile, "doc" | "lines">,
  path: Path,
): { line?: number; lastLine?: number; block: boolean } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? parsed.doc.contents : parsed.doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const block =
        isScalar(node) &&
        (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) &&
        n === path.length;
      return {
        line: parsed.lines.linePos(range[0]).line,
        lastLine: parsed.lines.linePos(Math.max(range[0], range[1] - 1)).line,
        block,
      };
    }
  }
  return { block: false };
}

/**
 * Reads a file's text into the content shape the server validates (parseContent does the rest).
 * Problems of the file's own structure (YAML syntax, unknown keys, template vs messages) are
 * returned here; the content's own rules are checked by the caller with the server's code.
 */
export function readPromptText(
  text: string,
  file: string,
): { parsed?: ParsedFile & { raw: Record<string, unknown> }; problems: FileProblem[] } {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0].line,
        message: `YAML: ${e.message.split("\n")[0]}`,
      })),
    };
  }
  const problems: FileProblem[] = [];
  const at = (path: Path, message: string) =>
    problems.push({ file, field: showPath(path), line: lineOf({ doc, lines }, path).line, message });
  const value: unknown = doc.toJS();
  if (value === null || value === undefined)
    return {
      problems: [
        { file, message: "the file is empty: a prompt file needs type and template: (text) or messages: (chat)" },
      ],
    };
  if (typeof value !== "object" || Array.isArray(value))
    return { problems: [{ file, line: 1, message: "a prompt file must be a YAML mapping (key: value lines)" }] };
  const obj = value as Record<string, unknown>;

  for (const key of Object.keys(obj)) {
    if (!(topLevelKeys as readonly string[]).includes(key))
      at([key], `unknown key ${key}; a prompt file has ${topLevelKeys.join(", ")}`);
  }
  let version: number | null = null;
  if (obj.version !== undefined && obj.version !== null) {
    if (
      typeof obj.version !== "number" ||
      !Number.isInteger(obj.version) ||
      obj.version < 1 ||
      obj.version > maxVersion
    )
      at(["version"], "version must be a whole number from 1 (the version this file came from)");
    else version = obj.version;
  }
  const description = obj.description ?? "";
  if (typeof description !== "string") at(["description"], "description must be a string");
  const tags = obj.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")) at(["tags"], "tags must be a list of strings");

  const hasTemplate = obj.template !== undefined;
  const hasMessages = obj.messages !== undefined;
  let type = obj.type;
  if (type === undefined) type = hasMessages && !hasTemplate ? "chat" : "text";
  if (type === "skill") {
    // A skill folder's .lectern.yaml: its files are the folder's (the caller adds them).
    if (hasTemplate || hasMessages || obj.variables !== undefined)
      at(
        [hasTemplate ? "template" : hasMessages ? "messages" : "variables"],
        "a skill's .lectern.yaml holds no template, messages or variables: its files are the folder's",
      );
    if (problems.length) return { problems };
    const raw = { type, config: obj.config ?? {}, examples: obj.examples ?? [] };
    const data = {
      version,
      description: description as string,
      tags: tags as string[],
      content: raw as unknown as Content,
    };
    return { parsed: { data, doc, lines, raw }, problems };
  }
  if (type === "text" && hasMessages)
    at(["messages"], "a text prompt has template:, not messages: (or set type: chat)");
  if (type === "chat" && hasTemplate)
    at(["template"], "a chat prompt has messages:, not template: (or set type: text)");
  if (type === "text" && !hasTemplate && !hasMessages) at(["template"], "template is required for text prompts");
  if (type === "chat" && !hasMessages && !hasTemplate) at(["messages"], "messages is required for chat prompts");
  if (problems.length) return { problems };

  const raw = {
    type,
    template: type === "chat" ? fromFileMessages(obj.messages) : obj.template,
    variables: obj.variables ?? [],
    config: obj.config ?? {},
    examples: obj.examples ?? [],
  };
  return {
    parsed: {
      data: { version, description: description as string, tags: tags as string[], content: raw as unknown as Content },
      doc,
      lines,
      raw,
    },
    problems,
  };
}

// A placeholder is written `- placeholder: history` among the messages.
function fromFileMessages(messages: unknown): unknown {
  if (!Array.isArray(messages)) return messages;
  return messages.map((m: unknown) =>
    typeof m === "object" && m !== null && "placeholder" in m && !("role" in m) && !("content" in m)
      ? { type: "placeholder", name: (m as { placeholder: unknown }).placeholder }
      : (m as Message),
  );
}

/** Where a content path (as parseContent and validateContent name it) lives in the file. */
export function filePath(contentPath: Path, type: unknown): Path {
  if (contentPath[0] === "template" && type === "chat") {
    const rest = contentPath.slice(1);
    if (rest.length === 2 && rest[1] === "name") return ["messages", rest[0]!, "placeholder"];
    return ["messages", ...rest];
  }
  return contentPath;
}

/** "template.messages[1]" (validateContent's field) → ["messages", 1, "content"]. */
export function fieldToPath(field: string, type: unknown): Path {
  const m = /^template\.messages\[(\d+)\]$/.exec(field);
  if (m) return ["messages", Number(m[1]), "content"];
  if (field === "template") return [type === "chat" ? "messages" : "template"];
  return field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
