// The prompts directory: finding the files, naming them, and checking them with the server's own
// validation (content model, template syntax, partials, declared variables) before anything is sent.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isAppError } from "../../lib/errors";
import { contentSchema, type Content } from "../../lib/registry/content";
import { isPromptName, templateTexts } from "../../lib/registry/content-model";
import { decodePromptPath, encodePromptName, promptNameError } from "../../lib/registry/names";
import { collectPartials, includedPartials, resolvePartialGraph, validateContent } from "../../lib/registry/template";
import { skillProblems } from "../../lib/registry/skill-files";
import { isSkillFolder, readSkillFiles, skillMetaFile } from "./skill-folder";
import { CliError } from "./errors";
import {
  fieldToPath,
  filePath,
  lineOf,
  readPromptText,
  showPath,
  type FileProblem,
  type ParsedFile,
  type PromptFileData,
} from "./prompt-file";

export interface PromptFile {
  name: string;
  /** Absolute path. */
  path: string;
  /** As shown to people: relative to the working directory. */
  shown: string;
  text: string;
  data: PromptFileData;
  parsed: ParsedFile;
}

export const promptExtensions = [".yaml", ".yml"];

/**
 * prompts/support/reply.yaml → support/reply; prompts/My%20Prompt%20%5Bv2%5D.x.yaml → "My Prompt [v2].x":
 * file names follow the one rule for URLs and files (encodePromptName). Undefined when a segment is not
 * valid percent-encoding.
 */
export function nameOfPath(dir: string, file: string): string | undefined {
  const rel = path.relative(dir, file).split(path.sep).join("/");
  // A skill's folder is its name: prompts/support/refunds/.lectern.yaml → support/refunds.
  const skill = rel.endsWith(`/${skillMetaFile}`);
  return decodePromptPath(
    (skill ? rel.slice(0, -skillMetaFile.length - 1) : rel.replace(/\.(yaml|yml)$/, "")).split("/"),
  );
}

/** The file of a prompt; throws for a name that is not a prompt name (it could point outside `dir`). */
export function pathOfName(dir: string, name: string): string {
  if (!isPromptName(name)) throw new Error(`${JSON.stringify(name)} is not a valid prompt name`);
  return path.join(dir, ...encodePromptName(name).split("/")) + ".yaml";
}

/** Where --all-versions writes a version: <dir>/.history/<encoded name>/v<N>.yaml. */
export const historyPathOf = (dir: string, name: string, version: number) =>
  path.join(dir, ".history", ...encodePromptName(name).split("/"), `v${version}.yaml`);

/**
 * Names that differ only in case are two prompts (as in Langfuse), but on a case-insensitive file
 * system (macOS, Windows) their files would be one. The first of each such group keeps its file; the
 * others are named here with the one they collide with, so nobody loses edits to the other's file.
 */
export function caseCollisions(names: string[]): Map<string, string> {
  const first = new Map<string, string>();
  const out = new Map<string, string>();
  for (const n of [...names].sort()) {
    const key = encodePromptName(n).toLowerCase();
    const other = first.get(key);
    if (other === undefined) first.set(key, n);
    else out.set(n, other);
  }
  return out;
}

export const caseCollisionMessage = (name: string, other: string) =>
  `${name} and ${other} differ only in case: Lectern keeps them as two prompts, but on a case-insensitive file system (macOS, Windows) their files would be one; rename one of them`;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.startsWith(".")) // .history and editor files are not prompts
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      // A folder with a SKILL.md is a skill: its files are the skill's, never prompts of their own.
      if (statSync(p).isDirectory()) return isSkillFolder(p) ? [path.join(p, skillMetaFile)] : walk(p);
      return promptExtensions.some((e) => f.endsWith(e)) ? [p] : [];
    });
}

export function inFolder(name: string, folder: string | undefined): boolean {
  if (!folder) return true;
  const f = folder.replace(/\/+$/, "");
  return name === f || name.startsWith(`${f}/`);
}

export interface ReadResult {
  files: PromptFile[];
  problems: FileProblem[];
  warnings: FileProblem[];
  /** Files left out because their name is outside the configured folder. */
  outside: string[];
}

/** Reads every prompt file under dir (optionally only one folder of names) and validates it locally. */
export function readWorkspace(dir: string, cwd: string, opts: { folder?: string } = {}): ReadResult {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new CliError(`${dir} is not a directory`, 2, { code: "usage" });
  const files: PromptFile[] = [];
  const problems: FileProblem[] = [];
  const seen = new Map<string, string>();
  const outside: string[] = [];
  for (const p of walk(dir)) {
    const shown = path.relative(cwd, p) || p;
    const name = nameOfPath(dir, p);
    if (name === undefined) {
      problems.push({ file: shown, field: "file name", message: "the file name is not valid percent-encoding" });
      continue;
    }
    if (!inFolder(name, opts.folder)) {
      outside.push(shown);
      continue;
    }
    if (!isPromptName(name)) {
      problems.push({ file: shown, field: "file name", message: `${name}: ${promptNameError(name)}` });
      continue;
    }
    const twin = seen.get(name);
    if (twin) {
      problems.push({ file: shown, field: "file name", message: `${twin} already holds prompt ${name}` });
      continue;
    }
    seen.set(name, shown);
    const skillDir = p.endsWith(skillMetaFile) ? path.dirname(p) : undefined;
    // A skill folder made by hand has no .lectern.yaml yet: it is a new skill.
    const text = skillDir && !existsSync(p) ? "type: skill\n" : readFileSync(p, "utf8");
    const r = readPromptText(text, shown);
    problems.push(...r.problems);
    if (!r.parsed) continue;
    if (skillDir) {
      if (r.parsed.raw.type !== "skill") {
        problems.push({
          file: shown,
          field: "type",
          message: "a folder with a SKILL.md is a skill: its .lectern.yaml says type: skill",
        });
        continue;
      }
      const read = readSkillFiles(skillDir, path.relative(cwd, skillDir) || skillDir);
      problems.push(...read.problems);
      r.parsed.raw.files = read.files;
    }
    const content = contentSchema.safeParse(r.parsed.raw);
    if (!content.success) {
      for (const issue of content.error.issues) {
        const where = filePath(issue.path as (string | number)[], r.parsed.raw.type);
        problems.push({
          file: shown,
          field: showPath(where),
          line: lineOf(r.parsed, where).line,
          message: issue.message,
        });
      }
      continue;
    }
    const data = { ...r.parsed.data, content: content.data };
    files.push({ name, path: p, shown, text, data, parsed: r.parsed });
  }
  for (const [name, other] of caseCollisions(files.map((f) => f.name)))
    problems.push({ file: seen.get(name)!, field: "file name", message: caseCollisionMessage(name, other) });
  const warnings: FileProblem[] = [];
  for (const f of files) checkFile(f, files, problems, warnings);
  return { files, problems, warnings, outside };
}

const conflictMarker = /^(<{7}|>{7}) /m;

/**
 * The editor's checks, with the partials taken from the other files: after a push those files are
 * the latest versions the server checks against. A partial that is not among the files is left to
 * the server (its variables cannot be known here), so undeclared-variable errors are then not reported.
 */
function checkFile(f: PromptFile, all: PromptFile[], problems: FileProblem[], warnings: FileProblem[]): void {
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
    const loc = lineOf(f.parsed, where);
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
      warnings.push({ file: f.shown, field: "variables", line: lineOf(f.parsed, ["variables"]).line, message });
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

/** Orders files so that a partial is pushed before the prompts that include it. */
export function partialsFirst(files: PromptFile[]): PromptFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const out: PromptFile[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (f: PromptFile) => {
    if (state.get(f.name)) return;
    state.set(f.name, "visiting");
    for (const p of collectPartials(f.data.content)) {
      const dep = byName.get(p);
      if (dep && !state.get(p)) visit(dep);
    }
    state.set(f.name, "done");
    out.push(f);
  };
  for (const f of files) visit(f);
  return out;
}
