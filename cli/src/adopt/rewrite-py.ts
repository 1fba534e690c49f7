// Rewrites Python call sites: each adopted value becomes
//   lectern.get_prompt(name, fallback={…the original text…}).render({…the same expressions…})
// and one client is added after the imports. Python's own parser places the client (rewrite mode of
// py-script.ts), at the offsets its find mode gave.
import type { Found } from "./model";
import { runPython } from "./find-py";
import type { FileRewrite, Site } from "./rewrite-js";

const pyString = (s: string) => JSON.stringify(s);

function fallback(f: Found): string {
  const vars = f.variables.map((v) => (v.type === "string" ? { name: v.name } : { name: v.name, type: v.type }));
  // JSON of strings, lists and objects is also a Python literal.
  return JSON.stringify({ type: f.type, template: f.template, variables: vars });
}

export function pyRenderArgs(f: Found): string {
  const parts = [
    ...f.variables.map((v) => `${pyString(v.name)}: ${v.stringify ? `str(${v.expr})` : v.expr}`),
    ...f.placeholders.map((p) => `${pyString(p.name)}: ${p.expr}`),
  ];
  return parts.length ? `{${parts.join(", ")}}` : "";
}

function replacement(f: Found, name: string, client: string): string {
  const rendered = `${client}.get_prompt(${pyString(name)}, fallback=${fallback(f)}).render(${pyRenderArgs(f)})`;
  if (f.langchain && f.type === "chat")
    return `[({"user": "human", "assistant": "ai"}.get(m["role"], m["role"]), m["content"]) for m in ${rendered}]`;
  return rendered;
}

export async function rewritePython(
  _file: string,
  text: string,
  sites: Site[],
  opts: { environment: string; env: Record<string, string | undefined> },
): Promise<FileRewrite> {
  const out: FileRewrite = { text, rewritten: [], skipped: [] };
  const todo = sites.filter((s) => {
    const placeholders = s.found.langchain && s.found.placeholders.length;
    if (placeholders) out.skipped.push({ site: s, reason: "a LangChain placeholder stays LangChain's" });
    return !placeholders;
  });
  if (!todo.length) return out;
  const client = /\blectern\b/.test(text) ? "lectern_client" : "lectern";
  const header = [
    "import os",
    "",
    "from lectern import Lectern",
    "",
    "# Prompts adopted by `lectern adopt` come from Lectern when LECTERN_BASE_URL and LECTERN_RUNTIME_KEY (a runtime",
    "# key) are set; otherwise, and whenever Lectern cannot answer, each one's fallback: the text it replaced.",
    `${client} = Lectern(`,
    `    os.environ.get("LECTERN_BASE_URL", ""),`,
    `    os.environ.get("LECTERN_RUNTIME_KEY", ""),`,
    `    environment=os.environ.get("LECTERN_ENVIRONMENT", ${pyString(opts.environment)}),`,
    `    offline=not os.environ.get("LECTERN_BASE_URL") or not os.environ.get("LECTERN_RUNTIME_KEY"),`,
    ")",
    "",
  ].join("\n");
  const request = {
    mode: "rewrite",
    src: text,
    header,
    sites: todo.map((s) => ({
      start: s.found.start,
      end: s.found.end,
      source: s.found.source,
      text: replacement(s.found, s.name, client),
    })),
  };
  const r = await runPython<{ text?: string; changed?: boolean }>(request, opts.env);
  if (r.changed || r.text === undefined) {
    out.skipped.push(...todo.map((site) => ({ site, reason: "the file changed since it was read" })));
    return out;
  }
  out.text = r.text;
  out.rewritten.push(...todo);
  return out;
}
