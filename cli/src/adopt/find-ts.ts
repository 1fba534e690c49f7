// The TypeScript/JavaScript finder: parses every candidate file with the TypeScript compiler (one
// program, so the checker can type the variables) and reports the prompts passed to model calls of the
// OpenAI, Anthropic and AI SDKs and to LangChain's template constructors, and what it left alone.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as TS from "typescript";
import { CliError, exitCodes } from "../errors";
import type { Found, FindResult } from "./model";
import { entityPath, isTextLiteral, messagesOf, textOf, unwrap, Vars, type TsModule } from "./ts-values";

/**
 * The TypeScript compiler: the one installed beside the CLI, else the adopted project's own (a TypeScript
 * project has it). It is an optional peer dependency, not bundled (see scripts/build.mjs).
 */
export async function loadTypescript(projectDir?: string): Promise<TsModule> {
  const pick = (m: TsModule & { default?: TsModule }) => m.default ?? m;
  try {
    return pick((await import("typescript")) as TsModule & { default?: TsModule });
  } catch {
    try {
      if (projectDir) return pick(createRequire(path.join(projectDir, "package.json"))("typescript") as TsModule);
    } catch {
      // Reported below.
    }
    throw new CliError(
      "lectern adopt reads TypeScript and JavaScript with the typescript package, which is installed neither beside lectern nor in the directory: npm install --save-dev typescript",
      exitCodes.usage,
    );
  }
}

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
  if (aiSdk.has(last)) return { props: ["system", "prompt", "messages"] };
  if (tail("PromptTemplate", "fromTemplate")) return { props: ["template"], langchain: "text" };
  if (tail("ChatPromptTemplate", "fromMessages")) return { props: ["messages"], langchain: "chat" };
  return undefined;
}

/** The property names of a callee (a.b.c, getClient().chat.completions.create → …chat.completions.create). */
function calleeNames(ts: TsModule, e: TS.Expression): string[] {
  if (ts.isIdentifier(e)) return [e.text];
  if (ts.isPropertyAccessExpression(e)) return [...calleeNames(ts, e.expression), e.name.text];
  return ["…"];
}

/** The enclosing function's name (or the variable it is assigned to), and whether it is async. */
function enclosing(ts: TsModule, n: TS.Node): { fn?: string; isAsync: boolean; inFunction: boolean } {
  for (let p = n.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) {
      const isAsync = (ts.getCombinedModifierFlags(p as TS.Declaration) & ts.ModifierFlags.Async) !== 0;
      let fn: string | undefined;
      const named = p as TS.Node & { name?: TS.Node };
      if (named.name && ts.isIdentifier(named.name)) fn = named.name.text;
      else if (p.parent && ts.isVariableDeclaration(p.parent) && ts.isIdentifier(p.parent.name))
        fn = p.parent.name.text;
      else if (p.parent && ts.isPropertyAssignment(p.parent) && ts.isIdentifier(p.parent.name)) fn = p.parent.name.text;
      return { fn, isAsync, inFunction: true };
    }
  }
  for (let p = n.parent; p; p = p.parent)
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name))
      return { fn: p.name.text, isAsync: false, inFunction: false };
  return { isAsync: false, inFunction: false };
}

function languageOf(file: string): "ts" | "js" {
  return /\.(ts|tsx|mts|cts)$/.test(file) ? "ts" : "js";
}

export function findInScripts(ts: TsModule, root: string, files: string[]): FindResult {
  const result: FindResult = { found: [], leftAlone: [], skipped: [] };
  const candidates = files.filter((f) => {
    try {
      const text = readFileSync(f, "utf8");
      return hints.some((h) => text.includes(h));
    } catch (e) {
      result.skipped.push({
        file: path.relative(root, f),
        reason: `cannot be read (${(e as NodeJS.ErrnoException).code})`,
      });
      return false;
    }
  });
  if (!candidates.length) return result;
  const program = ts.createProgram({
    rootNames: candidates,
    options: {
      allowJs: true,
      checkJs: false,
      noEmit: true,
      skipLibCheck: true,
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.Preserve,
      types: [],
    },
  });
  const checker = program.getTypeChecker();
  for (const file of candidates) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const rel = path.relative(root, file).split(path.sep).join("/");
    const visit = (n: TS.Node) => {
      if (ts.isCallExpression(n)) inspectCall(ts, checker, sf, rel, n, result);
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return result;
}

function inspectCall(
  ts: TsModule,
  checker: TS.TypeChecker,
  sf: TS.SourceFile,
  file: string,
  call: TS.CallExpression,
  result: FindResult,
) {
  const names = calleeNames(ts, call.expression);
  const kind = classify(names);
  if (!kind) return;
  const callText = names.join(".");
  const line = (n: TS.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const leave = (property: string, at: TS.Node, reason: string) =>
    result.leftAlone.push({ file, line: line(at), call: callText, property, reason });
  const arg = call.arguments[0] && unwrap(ts, call.arguments[0]);
  if (!arg) return;
  const where = enclosing(ts, call);
  const entity = entityPath(ts, call.expression)?.join(".");
  const noRewrite = !where.inFunction
    ? "at the top level of a module: fetching the prompt needs await inside an async function"
    : !where.isAsync
      ? `${where.fn ?? "the enclosing function"} is not async: fetching the prompt needs await`
      : undefined;
  const base = {
    file,
    call: callText,
    fn: where.fn,
    callee: entity,
    language: languageOf(file),
    callAt: call.getStart(sf),
  };

  if (kind.langchain) {
    const vars = new Vars(ts, checker);
    if (kind.langchain === "text") {
      if (!isTextLiteral(ts, arg))
        return leave("template", arg, "not a literal or template string (a variable holding text built elsewhere)");
      const t = textOf(ts, arg, vars, true);
      if ("reason" in t) return leave("template", arg, t.reason);
      return result.found.push(found(base, "template", line(arg), arg, sf, vars, "text", t.text, noRewrite));
    }
    const m = messagesOf(ts, arg, vars, "langchain");
    if ("reason" in m) return leave("messages", arg, m.reason);
    const placeholder = m.template.some((e) => "type" in e);
    const why = placeholder ? "a LangChain placeholder stays LangChain's" : noRewrite;
    return result.found.push(found(base, "messages", line(arg), arg, sf, vars, "chat", m.template, why));
  }

  if (!ts.isObjectLiteralExpression(arg))
    return leave("arguments", arg, "the arguments are not an object written at the call");
  for (const p of arg.properties) {
    const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (!key || !kind.props.includes(key)) continue;
    if (!ts.isPropertyAssignment(p)) {
      leave(key, p, "not a literal or template string (a variable holding text built elsewhere)");
      continue;
    }
    const value = unwrap(ts, p.initializer);
    const vars = new Vars(ts, checker);
    if (key === "messages" || ((key === "prompt" || key === "input") && ts.isArrayLiteralExpression(value))) {
      const m = messagesOf(ts, value, vars, "sdk");
      if ("reason" in m) leave(key, value, m.reason);
      else result.found.push(found(base, key, line(value), p.initializer, sf, vars, "chat", m.template, noRewrite));
      continue;
    }
    const t = textOf(ts, value, vars);
    if ("reason" in t) leave(key, value, t.reason);
    else result.found.push(found(base, key, line(value), p.initializer, sf, vars, "text", t.text, noRewrite));
  }
}

function found(
  base: Pick<Found, "file" | "call" | "fn" | "callee" | "language" | "callAt">,
  property: string,
  line: number,
  value: TS.Expression,
  sf: TS.SourceFile,
  vars: Vars,
  type: Found["type"],
  template: Found["template"],
  noRewrite: string | undefined,
): Found {
  return {
    ...base,
    property,
    line,
    type,
    template,
    variables: vars.list,
    placeholders: vars.placeholders,
    notes: vars.notes,
    start: value.getStart(sf),
    end: value.getEnd(),
    source: value.getText(sf),
    ...(noRewrite ? { noRewrite } : {}),
    ...(base.call.endsWith("fromTemplate") || base.call.endsWith("fromMessages") ? { langchain: true } : {}),
  };
}
