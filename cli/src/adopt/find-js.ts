// The JavaScript/TypeScript finder: parses each candidate file with the parser bundled into the CLI and reports
// the prompts passed to model calls of the OpenAI, Anthropic and AI SDKs and to LangChain's template
// constructors, and every such call it left alone, with the reason.
import path from "node:path";
import type * as t from "@babel/types";
import type { Found, FindResult } from "./model";
import {
  calleeNames,
  endOf,
  entityPath,
  functionName,
  isFunction,
  keyName,
  lineOf,
  parseSource,
  startOf,
  unwrap,
  walk,
  type Node,
} from "./js-ast";
import { langchainMessagesOf, sdkMessagesOf } from "./js-messages";
import { textOf, Vars, type Place } from "./js-values";
import { readUtf8 } from "../safe-write";
import { maxFileBytes } from "./files";

// Cheap text test before parsing: a file that names none of these has no call adopt knows.
const hints = ["completions", "responses", "messages", "Text", "Object", "fromTemplate", "fromMessages"];
const aiSdk = new Set(["generateText", "streamText", "generateObject", "streamObject"]);

interface CallKind {
  props: string[];
  langchain?: "text" | "chat";
}

/** Which calls hold prompts, by the last names of the callee. */
export function classify(names: string[]): CallKind | undefined {
  const tail = (...t: string[]) => t.every((x, i) => names[names.length - t.length + i] === x);
  const last = names[names.length - 1] ?? "";
  if (["create", "parse", "stream"].includes(last)) {
    if (tail("chat", "completions", last)) return { props: ["messages"] };
    if (tail("responses", last)) return { props: ["instructions", "input"] };
    if (tail("messages", last)) return { props: ["system", "messages"] };
  }
  if (aiSdk.has(last) && names.length <= 2) return { props: ["system", "prompt", "messages"] };
  if (last === "fromTemplate" && /PromptTemplate$/.test(names[names.length - 2] ?? ""))
    return { props: ["template"], langchain: "text" };
  if (tail("ChatPromptTemplate", "fromMessages")) return { props: ["messages"], langchain: "chat" };
  return undefined;
}

/** The enclosing function's name and whether it is async; `inFunction` false at a module's top level. */
function enclosing(ancestors: readonly Node[]): { fn?: string; isAsync: boolean; inFunction: boolean } {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (isFunction(a))
      return { fn: functionName(a, ancestors.slice(0, i)), isAsync: a.async === true, inFunction: true };
  }
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (a.type === "VariableDeclarator" && a.id.type === "Identifier")
      return { fn: a.id.name, isAsync: false, inFunction: false };
  }
  return { isAsync: false, inFunction: false };
}

const languageOf = (file: string): "ts" | "js" => (/\.(ts|tsx|mts|cts)$/.test(file) ? "ts" : "js");

export function findInScripts(root: string, files: string[]): FindResult & { texts: Map<string, string> } {
  const result: FindResult & { texts: Map<string, string> } = {
    found: [],
    leftAlone: [],
    skipped: [],
    texts: new Map(),
  };
  for (const abs of files) {
    const file = path.relative(root, abs).split(path.sep).join("/");
    const read = readUtf8(abs, maxFileBytes);
    if ("reason" in read) {
      result.skipped.push({ file, reason: read.reason });
      continue;
    }
    const src = read.text;
    if (!hints.some((h) => src.includes(h))) continue;
    const parsed = parseSource(file, src);
    if ("error" in parsed) {
      result.skipped.push({ file, reason: `could not be parsed (${parsed.error})` });
      continue;
    }
    result.texts.set(abs, src);
    try {
      walk(parsed.ast, (n, ancestors) => {
        if (n.type === "CallExpression" || n.type === "OptionalCallExpression")
          inspectCall({ src, ast: parsed.ast, ancestors, at: startOf(n) }, file, n, result);
      });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      result.skipped.push({ file, reason: "nested too deeply to read" });
    }
  }
  return result;
}

function inspectCall(
  place: Place,
  file: string,
  call: t.CallExpression | t.OptionalCallExpression,
  result: FindResult,
) {
  const names = calleeNames(call.callee);
  const kind = classify(names);
  if (!kind) return;
  const callText = names.join(".");
  const leave = (property: string, at: Node, reason: string) =>
    result.leftAlone.push({ file, line: lineOf(at), call: callText, property, reason });
  const arg0 = call.arguments[0];
  if (!arg0) return;
  if (arg0.type === "SpreadElement") return leave("arguments", arg0, "the arguments are spread from elsewhere");
  const arg = unwrap(arg0);
  const where = enclosing(place.ancestors);
  const noRewrite = !where.inFunction
    ? "at the top level of a module: fetching the prompt needs await inside an async function"
    : !where.isAsync
      ? `${where.fn ?? "the enclosing function"} is not async: fetching the prompt needs await`
      : undefined;
  const base = {
    file,
    call: callText,
    fn: where.fn,
    callee: entityPath(call.callee)?.join("."),
    language: languageOf(file),
    callAt: startOf(call),
  };
  const push = (
    property: string,
    value: Node,
    vars: Vars,
    type: Found["type"],
    template: Found["template"],
    extra: Partial<Found> = {},
  ) =>
    result.found.push({
      ...base,
      property,
      line: lineOf(value),
      type,
      template,
      variables: vars.list,
      placeholders: vars.placeholders,
      notes: vars.notes,
      start: startOf(value),
      end: endOf(value),
      source: place.src.slice(startOf(value), endOf(value)),
      ...(vars.declarations.length ? { declarations: vars.declarations } : {}),
      ...(noRewrite ? { noRewrite } : {}),
      ...extra,
    });

  if (kind.langchain) {
    const vars = new Vars(place.src);
    if (kind.langchain === "text") {
      const r = textOf(arg, vars, place, true);
      if ("reason" in r) return leave("template", arg, r.reason);
      return push("template", arg0, vars, "text", r.text, { langchain: true });
    }
    const m = langchainMessagesOf(arg, vars, place);
    if ("reason" in m) return leave("messages", arg, m.reason);
    const placeholder = m.template.some((e) => "type" in e);
    return push("messages", arg0, vars, "chat", m.template, {
      langchain: true,
      ...(placeholder ? { noRewrite: "a LangChain placeholder stays LangChain's" } : {}),
    });
  }

  if (arg.type !== "ObjectExpression")
    return leave("arguments", arg, "the arguments are not an object written at the call");
  for (const p of arg.properties) {
    const key = p.type === "SpreadElement" ? undefined : keyName(p.key, p.computed);
    if (!key || !kind.props.includes(key)) continue;
    if (p.type !== "ObjectProperty") {
      leave(key, p, "a method, not a value");
      continue;
    }
    const value = unwrap(p.value);
    const vars = new Vars(place.src);
    const property = p.shorthand ? { placement: "property" as const } : {};
    if (key === "messages" || ((key === "prompt" || key === "input") && value.type === "ArrayExpression")) {
      const m = sdkMessagesOf(value, vars, place);
      if ("reason" in m) {
        leave(key, value, m.reason);
        continue;
      }
      if (m.whole) push(key, p.value, vars, "chat", m.template, property);
      else
        result.found.push({
          ...base,
          property: key,
          line: lineOf(value),
          type: "chat",
          template: m.template,
          variables: vars.list,
          placeholders: [],
          notes: vars.notes,
          start: m.start,
          end: m.end,
          source: place.src.slice(m.start, m.end),
          placement: "spread",
          ...(vars.declarations.length ? { declarations: vars.declarations } : {}),
          ...(noRewrite ? { noRewrite } : {}),
        });
      continue;
    }
    const r = textOf(value, vars, place);
    if ("reason" in r) leave(key, value, r.reason);
    else push(key, p.shorthand ? p : p.value, vars, "text", r.text, property);
  }
}
