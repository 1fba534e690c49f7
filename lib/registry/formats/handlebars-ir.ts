// Dotprompt's side: Handlebars statements (as Handlebars.parse returns them, whitespace control applied)
// to the shared tree, under the Dotprompt library's rules: its helpers, `knownHelpersOnly`, no escaping.
// The message-level helpers (role, history, media) are read by dotprompt.ts, which splits a template
// into messages before calling this for each; met anywhere else they are refused.
import { isPromptName } from "../name-rules";
import { checkName, currentValue, pushed, refuse, within, type IrNode, type Scope, type ValueKind } from "./ir";

/** The Handlebars AST as far as it is read here (the package's own types mistype `original`). */
export type HbsPath = { type: "PathExpression"; data: boolean; depth: number; parts: string[]; original: string };
export type HbsExpr = HbsPath | { type: string; original?: unknown; value?: unknown };
export type HbsHash = { pairs: { key: string; value: HbsExpr }[] } | undefined;
export type HbsProgram = { body: HbsStmt[]; chained?: boolean; blockParams?: string[] };
export type HbsStmt =
  | { type: "ContentStatement"; value: string; original: string }
  | { type: "CommentStatement"; value: string }
  | { type: "MustacheStatement"; path: HbsExpr; params: HbsExpr[]; hash: HbsHash }
  | {
      type: "BlockStatement";
      path: HbsExpr;
      params: HbsExpr[];
      hash: HbsHash;
      program?: HbsProgram;
      inverse?: HbsProgram;
    }
  | { type: "PartialStatement"; name: HbsExpr; params: HbsExpr[]; hash: HbsHash; indent?: string }
  | { type: "PartialBlockStatement" | "Decorator" | "DecoratorBlock"; path?: HbsExpr; name?: HbsExpr };

/** The helpers a Dotprompt template may call (the library's own and Handlebars' built-in ones). */
export const messageHelpers = ["role", "history", "media", "section"];
export const helperNames = [
  ...messageHelpers,
  "json",
  "ifEquals",
  "unlessEquals",
  "if",
  "unless",
  "each",
  "with",
  "lookup",
  "log",
  "helperMissing",
  "blockHelperMissing",
];
/** Words a Handlebars expression reads as literals, not names. */
export const literalWords = ["true", "false", "null", "undefined"];

export const isPath = (e: HbsExpr | undefined): e is HbsPath => e?.type === "PathExpression";
const hashKeys = (h: HbsHash) => (h?.pairs ?? []).map((p) => p.key);
const variableName = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const propertyName = /^[A-Za-z0-9_$-]+$/;

/** How a block or expression reads in messages: `{{#each items}}`. */
export function describe(s: HbsStmt): string {
  const path = "path" in s && isPath(s.path) ? s.path.original : "name" in s && isPath(s.name) ? s.name.original : "";
  const params = ("params" in s ? s.params : []).map((p) => (isPath(p) ? p.original : JSON.stringify(p.original)));
  const open = s.type === "BlockStatement" ? "#" : s.type === "PartialStatement" ? "> " : "";
  return `{{${open}${[path, ...params].filter(Boolean).join(" ")}}}`;
}

/** A path as the names Mustache would look up, under the scope's rules. */
export function pathOf(p: HbsPath, scope: Scope, where: string): string[] {
  if (p.depth > 0)
    refuse("parent-path", `${where}: ../ reaches an outer context, which Lectern's templates cannot name`);
  if (p.data) {
    if (p.parts[0] === "root" && p.parts.length > 1 && !pushed(scope))
      return pathOf({ ...p, data: false, parts: p.parts.slice(1) }, scope, where);
    return refuse(
      "data-variable",
      `${where}: @${p.parts.join(".")} is a Handlebars data variable, which Lectern's templates do not have`,
    );
  }
  if (p.parts.length === 0) return currentValue(scope, where);
  for (const [i, part] of p.parts.entries()) {
    const ok = i === 0 && !pushed(scope) ? variableName.test(part) : propertyName.test(part);
    if (!ok) refuse("name", `${where}: "${part}" is not a name Lectern's templates can use`);
  }
  checkName(scope, p.parts, where);
  return p.parts;
}

/** The kind of the value a path names, when it is known (a top-level variable outside list sections). */
export function kindOf(path: string[], scope: Scope): ValueKind | undefined {
  if (pushed(scope) || path.length !== 1) return undefined;
  return scope.kinds.get(path[0]!);
}

/** Whether nodes read any name (a value, a section's or a test's subject). */
const readsNames = (nodes: IrNode[]): boolean =>
  nodes.some((n) => n.t === "value" || n.t === "if" || n.t === "unless" || n.t === "section" || n.t === "partial");

function mustache(s: Extract<HbsStmt, { type: "MustacheStatement" }>, scope: Scope): IrNode {
  const where = describe(s);
  if (!isPath(s.path)) return refuse("literal", `${where}: a literal in place of a value`);
  const name = s.path.original;
  if (s.params.length === 0 && hashKeys(s.hash).length === 0 && !helperNames.includes(name)) {
    const path = pathOf(s.path, scope, where);
    const kind = kindOf(path, scope);
    if (kind === "list" || kind === "object" || kind === "any")
      refuse(
        "object-value",
        `${where}: Dotprompt prints ${kind === "list" ? "a list as its items joined by commas" : "an object as [object Object]"}, Lectern as JSON; write {{json ${path.join(".")}}}`,
      );
    return { t: "value", path };
  }
  if (messageHelpers.includes(name))
    return refuse(
      name,
      `${where} inside a block: Lectern's messages, history and images cannot be conditional or repeated`,
    );
  if (name === "json") {
    const [target, ...rest] = s.params;
    if (hashKeys(s.hash).includes("indent")) refuse("json-indent", `${where}: Lectern prints JSON without indentation`);
    if (!isPath(target) || rest.length || hashKeys(s.hash).length) refuse("json", `${where}: json takes one value`);
    const path = pathOf(target as HbsPath, scope, where);
    const kind = kindOf(path, scope);
    if (kind === "string")
      refuse("json-string", `${where}: json quotes a string, and Lectern prints strings as they are`);
    return kind === "number" || kind === "boolean" ? { t: "value", path } : { t: "value", path, json: true };
  }
  if (name === "ifEquals" || name === "unlessEquals")
    return refuse(name, `${where}: Lectern's templates cannot compare two values`);
  return refuse("helper", `${where}: the helper ${name} has no counterpart in Lectern's templates`);
}

function partial(s: Extract<HbsStmt, { type: "PartialStatement" }>, scope: Scope): IrNode {
  const where = describe(s);
  const literal = s.name.type === "StringLiteral" ? String(s.name.value) : undefined;
  if (!isPath(s.name) && literal === undefined)
    return refuse("dynamic-partial", `${where}: a partial chosen at render time`);
  if (s.params.length || hashKeys(s.hash).length)
    refuse("partial-context", `${where}: a partial given its own context or parameters`);
  if (s.indent)
    refuse(
      "partial-indentation",
      `${where} is indented on its own line: Dotprompt (Handlebars) indents each line it renders, Lectern (Mustache) each line of the partial's text. Remove the indentation.`,
    );
  if (pushed(scope))
    refuse("partial-in-section", `${where} inside a list or object section: Handlebars renders it with the item alone`);
  const name = literal ?? (s.name as HbsPath).original;
  if (!isPromptName(name) || name.includes("}}")) refuse("partial", `${where}: ${name} is not a prompt name`);
  return { t: "partial", name };
}

function block(s: Extract<HbsStmt, { type: "BlockStatement" }>, scope: Scope, a: HbsStmt | undefined): IrNode[] {
  const alt = a?.type === "BlockStatement" ? a : undefined;
  const where = describe(s);
  if (!isPath(s.path)) return refuse("block", `${where}: not a block Lectern's templates can express`);
  if (s.program?.blockParams?.length) refuse("block-params", `${where}: block parameters (as |x|)`);
  if (hashKeys(s.hash).length) refuse("block-hash", `${where}: options (${hashKeys(s.hash).join(", ")})`);
  const helper = s.path.original;
  const known = ["if", "unless", "each", "with"].includes(helper);
  if (!known && helperNames.includes(helper))
    return refuse(
      helper,
      `${where}: ${helper === "ifEquals" || helper === "unlessEquals" ? "Lectern's templates cannot compare two values" : `the block helper ${helper} has no counterpart in Lectern's templates`}`,
    );
  const subject = known ? s.params[0] : s.path;
  if (!isPath(subject) || (known ? s.params.length !== 1 : s.params.length !== 0))
    return refuse("block", `${where}: Lectern's sections test one value`);
  const path = pathOf(subject, scope, where);
  const kind = kindOf(path, scope);
  const inner = (frameScope: Scope, p: HbsProgram | undefined) =>
    p ? hbsToIr(p.body, frameScope, (p === s.program ? alt?.program : alt?.inverse)?.body) : [];
  const test = within(scope, { kind: "if" });
  const otherwise = (p: HbsProgram | undefined): IrNode[] => (p ? [{ t: "unless", path, body: inner(scope, p) }] : []);

  const b: Block = { s, scope, where, helper, path, kind, inner, otherwise };
  if (helper === "if" || helper === "unless") return ifOrUnless(b, helper);
  if (helper === "each" || helper === "with") return eachOrWith(b, helper);
  // No helper: Handlebars' blockHelperMissing, which is Mustache's section (true keeps the context, a
  // list repeats, anything else becomes the context); `{{^x}}` has only an inverse.
  if (!s.program) return [{ t: "unless", path, body: inner(scope, s.inverse) }];
  if (kind === "boolean") return [{ t: "if", path, body: inner(test, s.program) }, ...otherwise(s.inverse)];
  if (kind === "string" || kind === "number") {
    const body = inner(within(scope, { kind: "if", value: path }), s.program);
    if (body.some((n) => n.t !== "text" && n.t !== "comment" && !(n.t === "value" && n.path.join() === path.join())))
      refuse(
        "section-scalar",
        `${where}: inside a section over a ${kind}, Dotprompt (Handlebars) looks names up in the ${kind}; use {{#if ${path.join(".")}}}`,
      );
    return [{ t: "if", path, body }, ...otherwise(s.inverse)];
  }
  if (kind === "image") refuse("image", `${where}: an image in a section`);
  return [{ t: "section", path, body: inner(within(scope, { kind: "push" }), s.program) }, ...otherwise(s.inverse)];
}

/** A block statement as block() read it: its subject's path and kind, and how to convert its bodies. */
type Block = {
  s: Extract<HbsStmt, { type: "BlockStatement" }>;
  scope: Scope;
  where: string;
  helper: string;
  path: string[];
  kind: ReturnType<typeof kindOf>;
  inner: (frameScope: Scope, p: HbsProgram | undefined) => IrNode[];
  otherwise: (p: HbsProgram | undefined) => IrNode[];
};

function ifOrUnless({ s, scope, where, path, kind, inner }: Block, helper: "if" | "unless"): IrNode[] {
  const test = within(scope, { kind: "if" });
  const body = inner(test, s.program);
  const other = inner(scope, s.inverse);
  const yes = helper === "if" ? body : other;
  const no = helper === "if" ? other : body;
  // Mustache's inverted section is Handlebars' unless for every value; only the positive test varies.
  const unlessNode: IrNode = { t: "unless", path, body: no };
  const hasYes = helper === "if" || !!s.inverse;
  const hasNo = helper === "unless" || !!s.inverse;
  if (!hasYes) return [unlessNode];
  const head = pushed(scope) ? undefined : scope.kinds.get(path[0]!);
  // A list's length is a number: `{{#if items.length}}` is Mustache's `{{#items.length}}`, and a list
  // tested for items (`{{#if items}}`) is the same test, rendering once where `{{#items}}` would repeat.
  const lengthOf = path.length === 2 && path[1] === "length" && (head === "list" || head === "any");
  let ifNode: IrNode = { t: "if", path: kind === "list" ? [...path, "length"] : path, body: yes };
  if (kind === "any" || kind === "image")
    refuse(
      "if-any",
      `${where}: ${path[0]} may be any value; declare it boolean, string, number or array in input.schema`,
    );
  if (!lengthOf && (kind === "object" || kind === undefined)) {
    // An object renders a Mustache section once, as `if` would, but opens it: only a body that reads no
    // name behaves the same. A property of a list's item has no known kind: the same rule.
    if (readsNames(yes))
      refuse(
        "if-object",
        `${where}: ${kind === "object" ? `${path.join(".")} is an object` : `the kind of ${path.join(".")} is not known`}; Lectern can only test it by opening it, so its body may not use names`,
      );
    ifNode = { t: "section", path, body: yes };
  }
  return helper === "if" ? [ifNode, ...(hasNo ? [unlessNode] : [])] : [unlessNode, ifNode];
}

function eachOrWith({ s, scope, where, path, kind, inner, otherwise }: Block, helper: "each" | "with"): IrNode[] {
  const wrong =
    helper === "each"
      ? kind === "object"
        ? "each over an object repeats over its values, which Lectern's sections do not"
        : kind && kind !== "list" && kind !== "any"
          ? `${path[0]} is a ${kind}, not a list`
          : undefined
      : kind === "list"
        ? "with on a list opens the list itself, where Lectern's section repeats over its items"
        : kind && kind !== "object" && kind !== "any"
          ? `${path[0]} is a ${kind}, not an object`
          : undefined;
  if (wrong) refuse(helper, `${where}: ${wrong}`);
  return [{ t: "section", path, body: inner(within(scope, { kind: "push" }), s.program) }, ...otherwise(s.inverse)];
}

/**
 * Statements (one message's, or a block's body) as the shared tree. `alt`: the same statements parsed
 * with only `~` applied (parseHandlebars), whose text keeps the whitespace standalone tags would drop.
 */
export function hbsToIr(body: HbsStmt[], scope: Scope, alt?: HbsStmt[]): IrNode[] {
  const out: IrNode[] = [];
  for (const [i, s] of body.entries()) {
    const a = alt?.[i];
    switch (s.type) {
      case "ContentStatement":
        out.push({ t: "text", s: s.value, o: a?.type === "ContentStatement" ? a.value : s.value });
        break;
      case "CommentStatement":
        out.push({ t: "comment", s: s.value });
        break;
      case "MustacheStatement":
        out.push(mustache(s, scope));
        break;
      case "BlockStatement":
        out.push(...block(s, scope, a));
        break;
      case "PartialStatement":
        out.push(partial(s, scope));
        break;
      default:
        refuse(
          s.type,
          `${s.type === "DecoratorBlock" || s.type === "Decorator" ? "inline partials and decorators ({{#*inline}})" : "partial blocks ({{#> name}})"}: Lectern's partials are prompts of the project`,
        );
    }
  }
  return out;
}
