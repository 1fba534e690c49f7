// Rewrites one JavaScript/TypeScript file: each adopted value becomes
//   (await lectern.getPrompt(name, { fallback })).render({ …the same expressions… })
// with the original text (as a Lectern template) as the fallback, so the application says the same thing
// when Lectern cannot be reached or is not configured; the import and one client are added once per file.
// Messages that stayed in the code (a spread history) stay where they were, around the prompt's, spread in.
// In TypeScript the result is cast to the exact type of the property it fills in (the SDK's messages are
// looser than a provider's discriminated unions), read from the callee's own signature.
import type * as t from "@babel/types";
import { endOf, parseSource, walk } from "./js-ast";
import type { Found } from "./model";

export interface Site {
  found: Found;
  name: string;
}

export interface FileRewrite {
  text: string;
  rewritten: Site[];
  skipped: { site: Site; reason: string }[];
}

// LangChain's message tuples: [role, template] with its own role names.
const toLangchain = (typed: boolean) =>
  `.map((m) => [m.role === "user" ? "human" : m.role === "assistant" ? "ai" : m.role, m.content]${typed ? " as [string, string]" : ""})`;

const free = (taken: Set<string>, names: string[]) => {
  for (const n of names) if (!taken.has(n)) return n;
  for (let i = 2; ; i++) if (!taken.has(`${names[0]}${i}`)) return `${names[0]}${i}`;
};

function indentAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

const key = (k: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k));
const oneLine = (o: Record<string, unknown>) =>
  `{ ${Object.entries(o)
    .map(([k, v]) => `${key(k)}: ${JSON.stringify(v)}`)
    .join(", ")} }`;

/** The fallback: the prompt as Lectern would serve it, as a JavaScript object literal. */
function fallbackText(f: Found, indent: string): string {
  const list = (items: Record<string, unknown>[]) =>
    items.length ? `[\n${items.map((i) => `${indent}    ${oneLine(i)},`).join("\n")}\n${indent}  ]` : "[]";
  const template =
    typeof f.template === "string" ? JSON.stringify(f.template) : list(f.template as Record<string, unknown>[]);
  // A variable's type defaults to string in the SDK; only the others are spelled out.
  const variables = list(
    f.variables.map((v) => (v.type === "string" ? { name: v.name } : { name: v.name, type: v.type })),
  );
  return `{\n${indent}  type: ${JSON.stringify(f.type)},\n${indent}  template: ${template},\n${indent}  variables: ${variables},\n${indent}}`;
}

export function renderArgs(f: Found): string {
  const parts = [
    ...f.variables.map((v) =>
      v.stringify ? `${v.name}: String(${v.expr})` : v.name === v.expr ? v.name : `${v.name}: ${v.expr}`,
    ),
    ...f.placeholders.map((p) => (p.name === p.expr ? p.name : `${p.name}: ${p.expr}`)),
  ];
  return parts.length ? `{ ${parts.join(", ")} }` : "";
}

function replacement(f: Found, name: string, client: string, indent: string, typed: boolean): string {
  const fetch = `(await ${client}.getPrompt(${JSON.stringify(name)}, {\n${indent}  fallback: ${fallbackText(f, `${indent}  `)},\n${indent}}))`;
  const rendered = `${fetch}.render(${renderArgs(f)})`;
  let value: string;
  if (f.langchain) {
    if (f.type === "text") value = typed ? `${rendered} as string` : rendered;
    else value = `(${rendered}${typed ? " as { role: string; content: string }[]" : ""})${toLangchain(typed)}`;
  } else if (!typed) value = rendered;
  else if (f.type === "text") value = `${rendered} as string`;
  // The property's own type, read from the callee: exact for overloads and the AI SDK's prompt union.
  else if (f.callee && !f.callee.startsWith("this."))
    value = `${rendered} as unknown as NonNullable<Parameters<typeof ${f.callee}>[0][${JSON.stringify(f.property)}]>`;
  else value = `${rendered} as never`;
  if (f.placement === "spread") return `...(${value})`;
  if (f.placement === "property") return `${key(f.property)}: ${value}`;
  return value;
}

/**
 * What removing a statement takes: its whole lines when it is alone on them, and a blank line before it when
 * one follows too (so no double blank line is left); else just the statement.
 */
function removal(text: string, start: number, end: number): [number, number] {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const nl = text.indexOf("\n", end);
  const lineEnd = nl < 0 ? text.length : nl + 1;
  const alone =
    /^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t;]*\r?$/.test(text.slice(end, nl < 0 ? text.length : nl));
  if (!alone) return [start, end];
  const prevStart = lineStart > 0 ? text.lastIndexOf("\n", lineStart - 2) + 1 : lineStart;
  const blankBefore = lineStart > 0 && /^[ \t]*\r?\n$/.test(text.slice(prevStart, lineStart));
  const nextNl = text.indexOf("\n", lineEnd);
  const blankAfter =
    lineEnd >= text.length || /^[ \t]*\r?$/.test(text.slice(lineEnd, nextNl < 0 ? text.length : nextNl));
  return blankBefore && blankAfter ? [prevStart, lineEnd] : [lineStart, lineEnd];
}

export function rewriteSource(file: string, text: string, sites: Site[], opts: { environment: string }): FileRewrite {
  const out: FileRewrite = { text, rewritten: [], skipped: [] };
  const parsed = parseSource(file, text);
  const skipAll = (reason: string) => {
    out.skipped.push(...sites.map((site) => ({ site, reason })));
    return out;
  };
  if ("error" in parsed) return skipAll(`could not be parsed (${parsed.error})`);
  const program = parsed.ast.program;
  const typed = /\.(ts|tsx|mts)$/.test(file);
  const useClient = program.directives.some((d) => d.value.value === "use client");
  const todo: Site[] = [];
  for (const s of sites) {
    const f = s.found;
    const unchanged = [f, ...(f.declarations ?? [])].every((d) => text.slice(d.start, d.end) === d.source);
    if (f.noRewrite) out.skipped.push({ site: s, reason: f.noRewrite });
    else if (useClient)
      out.skipped.push({
        site: s,
        reason: 'a "use client" module: fetching a prompt needs a runtime key, which must not reach the browser',
      });
    else if (file.endsWith(".cjs") || file.endsWith(".cts") || program.sourceType !== "module")
      out.skipped.push({ site: s, reason: "not an ES module (@lectern/sdk is imported with import)" });
    else if (!unchanged) out.skipped.push({ site: s, reason: "the file changed since it was read" });
    else todo.push(s);
  }
  if (!todo.length) return out;
  const taken = new Set<string>();
  walk(parsed.ast, (n) => {
    if (n.type === "Identifier") taken.add(n.name);
  });
  const client = free(taken, ["lectern", "lecternClient"]);
  const create = taken.has("createClient") ? free(taken, ["createLecternClient"]) : "createClient";
  const crlf = (text.match(/\r\n/g) ?? []).length > (text.match(/\n/g) ?? []).length / 2;
  const eol = (s: string) => (crlf ? s.replace(/\n/g, "\r\n") : s);

  const edits: { start: number; end: number; text: string }[] = [];
  for (const s of todo) {
    const indent = indentAt(text, s.found.start);
    edits.push({
      start: s.found.start,
      end: s.found.end,
      text: eol(replacement(s.found, s.name, client, indent, typed)),
    });
  }
  // A constant read only where its text was adopted goes (it would be unused); one read elsewhere stays.
  const removed = new Set<number>();
  for (const d of todo.flatMap((s) => s.found.declarations ?? []))
    if (d.remove && !removed.has(d.start)) {
      removed.add(d.start);
      const [start, end] = removal(text, d.start, d.end);
      edits.push({ start, end, text: "" });
    }
  edits.sort((a, b) => b.start - a.start);
  let result = text;
  for (const [i, e] of edits.entries()) {
    if (i > 0 && e.end > edits[i - 1]!.start) return skipAll("two of its sites overlap");
    result = result.slice(0, e.start) + e.text + result.slice(e.end);
  }
  out.rewritten.push(...todo);

  // The import and the client go after the last import (or after directives such as "use server").
  const imports = program.body.filter((s): s is t.ImportDeclaration => s.type === "ImportDeclaration");
  const lastImport = imports.at(-1);
  const lastDirective = program.directives.at(-1);
  const at = lastImport ? endOf(lastImport) : lastDirective ? endOf(lastDirective) : 0;
  if (edits.some((e) => e.start < at)) return skipAll("a site is among the imports");
  const importLine = `import { ${create === "createClient" ? "createClient" : `createClient as ${create}`} } from "@lectern/sdk";`;
  const clientLines = [
    "",
    "// Prompts adopted by `lectern adopt` come from Lectern when LECTERN_BASE_URL and LECTERN_RUNTIME_KEY (a runtime",
    "// key) are set; otherwise, and whenever Lectern cannot answer, each one's fallback: the text it replaced.",
    `const ${client} = ${create}({`,
    `  baseUrl: process.env.LECTERN_BASE_URL ?? "",`,
    `  apiKey: process.env.LECTERN_RUNTIME_KEY ?? "",`,
    `  environment: process.env.LECTERN_ENVIRONMENT ?? ${JSON.stringify(opts.environment)},`,
    `  offline: !process.env.LECTERN_BASE_URL || !process.env.LECTERN_RUNTIME_KEY,`,
    "});",
  ].join("\n");
  const block = at ? `\n${importLine}\n${clientLines}` : `${importLine}\n${clientLines}\n\n`;
  out.text = result.slice(0, at) + eol(block) + result.slice(at);
  return out;
}
