// The names `lectern adopt` proposes, from what a call does: the subject (the meaningful part of the file's
// path, then the function when it says more: `app/api/docs-chat/route.ts` POST → docs-chat,
// `lib/support.ts` reply() → support/reply) and what the text is to the call (system, prompt, messages…):
// `docs-chat/system`. Folders that every project has (src, app, api, lib, route…), Next.js's route groups and
// [params], and handler names (POST, handler, default…) say nothing about the prompt and are left out.
import { isPromptName } from "../../../lib/registry/content-model";
import type { Found } from "./model";

const genericFolders = new Set([
  "src",
  "app",
  "apps",
  "lib",
  "libs",
  "pages",
  "api",
  "server",
  "routes",
  "route",
  "page",
  "index",
  "handler",
  "handlers",
  "actions",
  "action",
  "utils",
  "util",
  "helpers",
  "services",
  "service",
  "ai",
  "llm",
  "prompts",
  "functions",
  "controllers",
  "main",
  "packages",
]);
const genericFunctions = new Set([
  "get",
  "post",
  "put",
  "patch",
  "delete",
  "head",
  "options",
  "handler",
  "handle",
  "default",
  "main",
  "run",
  "execute",
  "action",
  "loader",
  "middleware",
  "route",
  "callback",
  "fn",
  "index",
]);

export const slug = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);

/** The path's folders and file name that say something, as name segments. */
export function fileSegments(file: string): string[] {
  return file
    .replace(/\\/g, "/")
    .replace(/\.[^./]+$/, "")
    .split("/")
    .filter((p) => !/^\(.*\)$/.test(p) && !/^\[.*\]$/.test(p) && !p.startsWith("@") && !p.startsWith("_"))
    .map(slug)
    .filter((p) => p !== "" && !genericFolders.has(p));
}

const functionSegment = (fn: string | undefined) => {
  const s = fn ? slug(fn) : "";
  return s && !genericFunctions.has(s) ? s : undefined;
};

/** What the text is to the call: its property, or `system` for a message list of system messages only. */
function roleOf(f: Found, siblings: Found[]): string {
  const onlySystem =
    f.property === "messages" &&
    Array.isArray(f.template) &&
    f.template.length > 0 &&
    f.template.every((m) => "role" in m && m.role === "system");
  if (onlySystem && !siblings.some((s) => s !== f && s.property === "system")) return "system";
  return slug(f.property) || "prompt";
}

function nameAt(f: Found, role: string, depth: number): string {
  const files = fileSegments(f.file);
  const subject = files.slice(Math.max(0, files.length - depth));
  const fn = functionSegment(f.fn);
  if (fn && fn !== subject.at(-1)) subject.push(fn);
  if (!subject.length) subject.push(slug(f.call.split(".").at(-1) ?? "") || "prompt");
  return [...subject, role].join("/").slice(0, 200);
}

/** Assigns every finding a valid name, unique among them and not in `taken`. */
export function assignNames(found: Found[], taken: Set<string> = new Set()): string[] {
  const callKey = (f: Found) => `${f.file}\u0000${f.callAt}`;
  const byCall = new Map<string, Found[]>();
  for (const f of found) byCall.set(callKey(f), [...(byCall.get(callKey(f)) ?? []), f]);
  const roles = found.map((f) => roleOf(f, byCall.get(callKey(f))!));
  // Names that collide take one more folder of their path, as long as that tells them apart.
  const depth = found.map(() => 1);
  for (let round = 0; round < 8; round++) {
    const names = found.map((f, i) => nameAt(f, roles[i]!, depth[i]!));
    const counts = new Map<string, number>();
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
    let grew = false;
    found.forEach((f, i) => {
      if (counts.get(names[i]!)! > 1 && depth[i]! < fileSegments(f.file).length) {
        depth[i]!++;
        grew = true;
      }
    });
    if (!grew) break;
  }
  const used = new Set(taken);
  return found.map((f, i) => {
    const base = nameAt(f, roles[i]!, depth[i]!);
    const valid = isPromptName(base) ? base : "adopted";
    let name = valid;
    for (let n = 2; used.has(name); n++) name = `${valid}-${n}`;
    used.add(name);
    return name;
  });
}
