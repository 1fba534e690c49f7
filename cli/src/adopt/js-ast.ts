// JavaScript and TypeScript as adopt reads them: @babel/parser (bundled into the CLI, so a JavaScript project
// needs no TypeScript installed), a walk that knows each node's ancestors, and the few scope questions adopt
// asks (which function holds a call, what a name is bound to).
import { parse } from "@babel/parser";
import type * as t from "@babel/types";

export type Node = t.Node;

/** The syntax tree of a file, or why it could not be read. */
export function parseSource(file: string, text: string): { ast: t.File } | { error: string } {
  const ts = /\.(ts|tsx|mts|cts)$/.test(file);
  const jsx = !/\.(ts|mts|cts)$/.test(file);
  try {
    const ast = parse(text, {
      sourceType: /\.(mjs|mts)$/.test(file) ? "module" : "unambiguous",
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      errorRecovery: true,
      plugins: [...(ts ? (["typescript", "decorators-legacy"] as const) : []), ...(jsx ? (["jsx"] as const) : [])],
    });
    return { ast };
  } catch (e) {
    return { error: e instanceof Error ? e.message.split("\n")[0]!.slice(0, 200) : String(e) };
  }
}

const skipped = new Set([
  "type",
  "start",
  "end",
  "loc",
  "range",
  "extra",
  "leadingComments",
  "trailingComments",
  "innerComments",
  "comments",
  "tokens",
  "errors",
  "typeAnnotation",
  "returnType",
  "typeParameters",
  "superTypeParameters",
  "typeArguments",
]);

const isNode = (v: unknown): v is Node =>
  typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string";

/** Visits every node under `root` with its ancestors (outermost first). */
export function walk(root: Node, visit: (n: Node, ancestors: readonly Node[]) => void): void {
  const stack: Node[] = [];
  const go = (n: Node) => {
    visit(n, stack);
    stack.push(n);
    for (const key in n) {
      if (skipped.has(key)) continue;
      const v = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) go(c);
      } else if (isNode(v)) go(v);
    }
    stack.pop();
  };
  go(root);
}

export const startOf = (n: Node) => n.start ?? 0;
export const endOf = (n: Node) => n.end ?? 0;
export const lineOf = (n: Node) => n.loc?.start.line ?? 1;

export type FunctionNode =
  | t.FunctionDeclaration
  | t.FunctionExpression
  | t.ArrowFunctionExpression
  | t.ObjectMethod
  | t.ClassMethod
  | t.ClassPrivateMethod;

export const isFunction = (n: Node): n is FunctionNode =>
  n.type === "FunctionDeclaration" ||
  n.type === "FunctionExpression" ||
  n.type === "ArrowFunctionExpression" ||
  n.type === "ObjectMethod" ||
  n.type === "ClassMethod" ||
  n.type === "ClassPrivateMethod";

/** A property key as a name: `a`, `"a"`, `#a`; undefined for a computed key. */
export function keyName(key: Node, computed = false): string | undefined {
  if (key.type === "Identifier" && !computed) return key.name;
  if (key.type === "StringLiteral") return key.value;
  if (key.type === "PrivateName") return key.id.name;
  return undefined;
}

/** Parentheses, `as`, `satisfies` and `!` do not change a value. */
export function unwrap(e: Node): Node {
  for (;;) {
    if (
      e.type === "TSAsExpression" ||
      e.type === "TSSatisfiesExpression" ||
      e.type === "TSNonNullExpression" ||
      e.type === "TSTypeAssertion" ||
      e.type === "ParenthesizedExpression"
    )
      e = e.expression;
    else return e;
  }
}

/** a, a.b.c, this.a.b: the names, or undefined for any other expression. */
export function entityPath(e: Node): string[] | undefined {
  if (e.type === "Identifier") return [e.name];
  if (e.type === "ThisExpression") return ["this"];
  if ((e.type === "MemberExpression" || e.type === "OptionalMemberExpression") && !e.computed) {
    if (e.property.type !== "Identifier") return undefined;
    const left = entityPath(e.object);
    return left && [...left, e.property.name];
  }
  return undefined;
}

/** The names of a callee: a.b.c, getClient().chat.completions.create → …, chat, completions, create. */
export function calleeNames(e: Node): string[] {
  const u = unwrap(e);
  if (u.type === "Identifier") return [u.name];
  if (u.type === "ThisExpression") return ["this"];
  if (u.type === "MemberExpression" || u.type === "OptionalMemberExpression") {
    const name = keyName(u.property, u.computed);
    return [...calleeNames(u.object), name ?? "…"];
  }
  return ["…"];
}

/** Every identifier an expression names, in order, once each. */
export function identifiersIn(e: Node): string[] {
  const out: string[] = [];
  walk(e, (n) => {
    if (n.type === "Identifier" && !out.includes(n.name)) out.push(n.name);
  });
  return out;
}

/** The name a function is known by: its own, or the variable, property or export it is assigned to. */
export function functionName(fn: FunctionNode, ancestors: readonly Node[]): string | undefined {
  if ((fn.type === "FunctionDeclaration" || fn.type === "FunctionExpression") && fn.id) return fn.id.name;
  if (fn.type === "ObjectMethod" || fn.type === "ClassMethod" || fn.type === "ClassPrivateMethod")
    return keyName(fn.key, fn.computed);
  // The function may be an argument of a wrapper: export const POST = withAuth(async (req) => …).
  let i = ancestors.length - 1;
  while (i >= 0 && ancestors[i]!.type === "CallExpression") i--;
  const p = ancestors[i];
  if (!p) return undefined;
  if (p.type === "VariableDeclarator" && p.id.type === "Identifier") return p.id.name;
  if ((p.type === "ObjectProperty" || p.type === "ClassProperty") && !p.computed) return keyName(p.key);
  if (p.type === "AssignmentExpression") {
    const path = entityPath(p.left);
    return path?.at(-1);
  }
  if (p.type === "ExportDefaultDeclaration") return "default";
  return undefined;
}

/** Whether a binding pattern (a, {a}, [a], a = 1, ...a) binds `name`. */
export function binds(pattern: Node | null | undefined, name: string): boolean {
  if (!pattern) return false;
  switch (pattern.type) {
    case "Identifier":
      return pattern.name === name;
    case "AssignmentPattern":
      return binds(pattern.left, name);
    case "RestElement":
      return binds(pattern.argument, name);
    case "ArrayPattern":
      return pattern.elements.some((e) => binds(e, name));
    case "ObjectPattern":
      return pattern.properties.some((p) => binds(p.type === "RestElement" ? p : p.value, name));
    case "TSParameterProperty":
      return binds(pattern.parameter, name);
    default:
      return false;
  }
}

export type Binding =
  | {
      kind: "const";
      declarator: t.VariableDeclarator & { id: t.Identifier };
      /** The statement holding it (an export's, when exported). */
      statement: t.Statement;
      exported: boolean;
      /** Declared in the function that makes the call (not the module or an outer function). */
      sameFunction: boolean;
    }
  | { kind: "import"; from: string }
  | { kind: "other"; what: string }
  | { kind: "unknown" };

function statementsOf(n: Node): readonly t.Statement[] {
  if (n.type === "Program" || n.type === "BlockStatement" || n.type === "StaticBlock") return n.body;
  if (n.type === "SwitchCase") return n.consequent;
  return [];
}

/** What `name` is bound to where the node whose ancestors these are sits: a `const`, an import, anything else. */
export function bindingOf(name: string, ancestors: readonly Node[], at: number): Binding {
  let innerFunction = -1;
  for (let i = ancestors.length - 1; i >= 0; i--)
    if (isFunction(ancestors[i]!)) {
      innerFunction = i;
      break;
    }
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (isFunction(a)) {
      if (a.params.some((p) => binds(p, name))) return { kind: "other", what: "a parameter" };
      if (a.type === "FunctionExpression" && a.id?.name === name) return { kind: "other", what: "a function" };
    }
    if (a.type === "CatchClause" && binds(a.param, name)) return { kind: "other", what: "a catch parameter" };
    if (
      (a.type === "ForOfStatement" || a.type === "ForInStatement" || a.type === "ForStatement") &&
      (a.type === "ForStatement" ? a.init : a.left)?.type === "VariableDeclaration"
    ) {
      const decl = (a.type === "ForStatement" ? a.init : a.left) as t.VariableDeclaration;
      if (decl.declarations.some((d) => binds(d.id, name))) return { kind: "other", what: "a loop variable" };
    }
    for (const st of statementsOf(a)) {
      const inner = st.type === "ExportNamedDeclaration" && st.declaration ? st.declaration : st;
      if (inner.type === "VariableDeclaration") {
        for (const d of inner.declarations) {
          if (!binds(d.id, name)) continue;
          if (inner.kind !== "const" || d.id.type !== "Identifier")
            return { kind: "other", what: `declared with ${inner.kind === "const" ? "destructuring" : inner.kind}` };
          const sameFunction = innerFunction >= 0 && i > innerFunction;
          // In the function itself a const must come first; one of the module is set before the function runs.
          if ((sameFunction || innerFunction < 0) && endOf(d) > at)
            return { kind: "other", what: "declared after the call" };
          return {
            kind: "const",
            declarator: d as t.VariableDeclarator & { id: t.Identifier },
            statement: st,
            exported: st !== inner,
            sameFunction,
          };
        }
      } else if ((inner.type === "FunctionDeclaration" || inner.type === "ClassDeclaration") && inner.id?.name === name)
        return { kind: "other", what: `a ${inner.type === "ClassDeclaration" ? "class" : "function"}` };
      else if (inner.type === "ImportDeclaration" && inner.specifiers.some((s) => s.local.name === name))
        return { kind: "import", from: inner.source.value };
    }
  }
  return { kind: "unknown" };
}

/** How many times `name` is read in the file (outside its declaration): property names and keys do not count. */
export function referencesTo(root: Node, name: string, declaration: Node): number {
  let n = 0;
  walk(root, (node, ancestors) => {
    if (node.type !== "Identifier" || node.name !== name || node === declaration) return;
    const p = ancestors[ancestors.length - 1];
    if (
      p &&
      (p.type === "MemberExpression" || p.type === "OptionalMemberExpression") &&
      p.property === node &&
      !p.computed
    )
      return;
    // A key is not a read; a shorthand property's value (a second node for the same word) is.
    if (
      p &&
      (p.type === "ObjectProperty" ||
        p.type === "ClassProperty" ||
        p.type === "ObjectMethod" ||
        p.type === "ClassMethod") &&
      p.key === node &&
      !p.computed
    )
      return;
    n++;
  });
  return n;
}
