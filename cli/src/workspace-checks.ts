// The checks `validate` and `push` run on every file the workspace read (workspace.ts), before anything is sent:
// the editor's checks with the partials taken from the other files, and a skill's agentskills.io rules.
import path from "node:path";
import { isAppError } from "../../lib/errors";
import type { Content } from "../../lib/registry/content";
import { templateTexts } from "../../lib/registry/content-model";
import { skillProblems } from "../../lib/registry/skills/skill-files";
import {
  collectPartials,
  includedPartials,
  resolvePartialGraph,
  validateContent,
} from "../../lib/registry/templates/template";
import type { PromptFile } from "./format-files";
import { fieldToPath, lineOf, showPath, type FileProblem } from "./prompt-file";

const conflictMarker = /^(<{7}|>{7}) /m;

/**
 * The editor's checks, with the partials taken from the other files: after a push those files are
 * the latest versions the server checks against. A partial that is not among the files is left to
 * the server (its variables cannot be known here), so undeclared-variable errors are then not reported.
 */
export function checkFile(f: PromptFile, all: PromptFile[], problems: FileProblem[], warnings: FileProblem[]): void {
  const c = f.data.content;
  if (c.type === "skill") {
    // The agentskills.io rules, as the server checks them when the skill is pushed.
    const folder = path.dirname(f.shown);
    for (const [rel, text] of Object.entries(c.files))
      if (conflictMarker.test(text))
        problems.push({
          file: `${path.dirname(f.shown)}/${rel}`,
          message: "has unresolved merge conflict markers (<<<<<<< … >>>>>>>): resolve them before pushing",
        });
    for (const p of skillProblems(c.files, f.name)) {
      const file = /^files\[(".*")\]/.exec(p.field);
      problems.push({
        file: file ? `${folder}/${JSON.parse(file[1]!) as string}` : f.shown,
        field: p.rule,
        message: p.message,
      });
    }
    return;
  }
  const at = (field: string, message: string, textLine?: number) => {
    const where = fieldToPath(field, c.type);
    const loc = f.parsed ? lineOf(f.parsed, where) : { block: false };
    // A line inside a multi-line template, counted from the scalar's first line (the `|` line for a block).
    const line =
      loc.line === undefined
        ? undefined
        : Math.min(loc.line + (textLine ? textLine - 1 + (loc.block ? 1 : 0) : 0), loc.lastLine ?? Infinity);
    problems.push({ file: f.shown, field: showPath(where), line, message });
  };
  const pieces = templateTexts(c).map((p) => ({ field: p.field, text: p.text }));
  for (const p of pieces) {
    const m = conflictMarker.exec(p.text);
    if (m)
      at(
        p.field,
        "has unresolved merge conflict markers (<<<<<<< … >>>>>>>): resolve them before pushing",
        p.text.slice(0, m.index).split("\n").length,
      );
  }
  const local = new Map<string, Content>(all.map((x) => [x.name, x.data.content]));
  let missing: string[] = [];
  let declared: ReturnType<typeof resolvePartialGraph>["declared"] = {};
  try {
    const reachable = new Set<string>();
    const frontier = collectPartials(c);
    while (frontier.length) {
      const n = frontier.pop()!;
      if (reachable.has(n) || n === f.name) continue;
      reachable.add(n);
      const pc = local.get(n);
      if (pc) frontier.push(...includedPartials(pc));
    }
    missing = [...reachable].filter((n) => !local.has(n));
    if (!missing.length)
      declared = resolvePartialGraph({ name: f.name, content: c }, (n) => (n === f.name ? c : local.get(n))).declared;
  } catch (e) {
    if (!isAppError(e)) throw e;
    at(String(e.details?.field ?? "template"), e.message, e.details?.line as number | undefined);
    return;
  }
  try {
    const { warnings: w } = validateContent(c, declared);
    for (const message of w)
      warnings.push({
        file: f.shown,
        field: "variables",
        line: f.parsed ? lineOf(f.parsed, ["variables"]).line : undefined,
        message,
      });
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (missing.length && e.details?.field === "variables") {
      warnings.push({
        file: f.shown,
        field: "variables",
        message: `${e.message} (unless ${missing.join(", ")}, not in this directory, declare${missing.length > 1 ? "" : "s"} them: the server checks on push)`,
      });
      return;
    }
    const undeclared = e.details?.undeclared;
    const use = Array.isArray(undeclared) ? firstUse(pieces, undeclared as string[]) : undefined;
    if (use) at(use.field, e.message, use.line);
    else at(String(e.details?.field ?? "template"), e.message, e.details?.line as number | undefined);
  }
}

/** Where the first of these variables is used, so an undeclared-variable error points at the template. */
function firstUse(
  pieces: { field: string; text: string }[],
  names: string[],
): { field: string; line: number } | undefined {
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  const pattern = new RegExp(`\\{\\{\\{?\\s*[#^&]?\\s*(?:${escaped})\\s*[.}\\s]`);
  for (const p of pieces) {
    const m = pattern.exec(p.text);
    if (m) return { field: p.field, line: p.text.slice(0, m.index).split("\n").length };
  }
  return undefined;
}
