// What changed between two versions of a prompt, structured for the diff view and summarised in
// words for version lists and review requests.
import { diffLines } from "diff";
import { contentText } from "../content-parts";
import {
  isPlaceholder,
  templateTexts,
  type Content,
  type MessageRole,
  type TemplatePiece,
  type Variable,
} from "../content";
import { deepEqual, formatValue, isPlainObject } from "../json";
import { skillFileMode, sortSkillPaths, type SkillFileMode } from "../skills/skill-files";

export interface DiffHunk {
  type: "add" | "del" | "same";
  text: string;
}

export interface PieceDiff {
  /** "template" for text prompts; "messages[i] (role)" for chat, with the newer role when both exist. */
  key: string;
  status: "added" | "removed" | "changed" | "unchanged";
  before: string;
  after: string;
  /** Line-level hunks; each hunk's text keeps its trailing newlines. */
  hunks: DiffHunk[];
  /** Chat pieces only: the message role on each side (absent on a side where the message doesn't exist). */
  roles?: { before?: MessageRole; after?: MessageRole };
  /** Skill pieces only: the file's path (the key too). */
  file?: string;
}

export interface ConfigChange {
  /** Dotted path into the config, e.g. "temperature" or "responseFormat.schema.type". */
  path: string;
  /** undefined when the key was added. */
  before: unknown;
  /** undefined when the key was removed. */
  after: unknown;
}

export const variableFields = ["type", "required", "default", "description", "schema"] as const;

export interface VariableChange {
  name: string;
  change: "added" | "removed" | "changed";
  before?: Variable;
  after?: Variable;
  /** For "changed": which of type, required, default, description, schema differ. */
  fields?: (typeof variableFields)[number][];
}

/** A skill file's mode that changed (a file added or removed carries its mode in neither list). */
export interface ModeChange {
  path: string;
  before: SkillFileMode;
  after: SkillFileMode;
}

export interface ContentDiff {
  pieces: PieceDiff[];
  config: ConfigChange[];
  variables: VariableChange[];
  /** Skills: files kept whose mode changed (absent from diffs stored before files had modes). */
  modes?: ModeChange[];
  typeChanged: boolean;
  summary: string[];
}

/** The files both versions hold whose mode changed. */
function diffModes(before: Content | null, after: Content): ModeChange[] {
  if (before?.type !== "skill" || after.type !== "skill") return [];
  return Object.keys(after.files)
    .filter((p) => Object.hasOwn(before.files, p))
    .map((path) => ({ path, before: skillFileMode(before.modes, path), after: skillFileMode(after.modes, path) }))
    .filter((c) => c.before !== c.after);
}

const countLines = (text: string) => (text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));

// Beyond this many differing lines a minimal diff costs more than it tells; show replace-all instead.
const maxEditLength = 2_000;

function lineHunks(before: string, after: string): DiffHunk[] {
  // Prompt texts rarely end with a newline, so appending a line must not also "change" the old last one.
  const changes = diffLines(before, after, { ignoreNewlineAtEof: true, maxEditLength });
  if (!changes) {
    return [
      ...(before ? [{ type: "del" as const, text: before }] : []),
      ...(after ? [{ type: "add" as const, text: after }] : []),
    ];
  }
  return changes.map((c) => ({
    type: c.added ? "add" : c.removed ? "del" : "same",
    text: c.value,
  }));
}

function diffPiece(b: TemplatePiece | undefined, a: TemplatePiece | undefined, file?: string): PieceDiff {
  const before = b?.text ?? "";
  const after = a?.text ?? "";
  const status = !b ? "added" : !a ? "removed" : before === after && b.role === a.role ? "unchanged" : "changed";
  // An unchanged file needs no hunks: a skill's other files would otherwise fill the diff with its whole text.
  const hunks = file !== undefined && status === "unchanged" ? [] : lineHunks(before, after);
  const piece: PieceDiff = { key: (a ?? b)?.key ?? "template", status, before, after, hunks };
  if (file !== undefined) piece.file = file;
  const roles = { ...(b?.role && { before: b.role }), ...(a?.role && { after: a.role }) };
  if (roles.before || roles.after) piece.roles = roles;
  return piece;
}

function pieceSummary(p: PieceDiff, index: number): string | undefined {
  if (p.status === "unchanged") return undefined;
  const r = p.roles;
  const label =
    p.file !== undefined
      ? `file ${p.file}`
      : p.key.endsWith("(placeholder)")
        ? `message ${index + 1} (placeholder)`
        : !r
          ? "template"
          : `message ${index + 1} (${r.before && r.after && r.before !== r.after ? `${r.before} → ${r.after}` : (r.after ?? r.before)})`;
  if (p.status !== "changed") return `${label} ${p.status}`;
  const parts: string[] = [];
  if (r?.before !== r?.after) parts.push("role");
  if (p.before !== p.after) {
    const { added: adds, removed: dels } = lineCounts(p);
    parts.push(adds + dels > 0 ? `+${adds} −${dels} lines` : "newline at end");
  }
  return `${label} changed: ${parts.join(", ")}`;
}

/** Lines added and removed in a changed piece. */
export function lineCounts(p: PieceDiff): { added: number; removed: number } {
  const count = (type: DiffHunk["type"]) =>
    p.hunks.filter((h) => h.type === type).reduce((n, h) => n + countLines(h.text), 0);
  return { added: count("add"), removed: count("del") };
}

/** Whether the few-shot examples differ (the diff records them in its summary only). */
export const examplesChanged = (d: Pick<ContentDiff, "summary">) => d.summary.some((s) => s.startsWith("examples "));

// Plain objects are compared key by key so a nested change reports its own path; anything else
// (arrays included) is compared and reported as a whole.
function diffConfig(before: unknown, after: unknown, path: string, out: ConfigChange[]): void {
  if (deepEqual(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const k of keys) diffConfig(before[k], after[k], path ? `${path}.${k}` : k, out);
    return;
  }
  out.push({ path, before, after });
}

function configSummary(c: ConfigChange): string {
  if (c.before === undefined) return `${c.path} set to ${formatValue(c.after)}`;
  if (c.after === undefined) return `${c.path} removed (was ${formatValue(c.before)})`;
  return `${c.path} ${formatValue(c.before)} → ${formatValue(c.after)}`;
}

function diffVariables(before: Variable[], after: Variable[]): VariableChange[] {
  const b = new Map(before.map((v) => [v.name, v]));
  const a = new Map(after.map((v) => [v.name, v]));
  const names = [...new Set([...b.keys(), ...a.keys()])];
  const out: VariableChange[] = [];
  for (const name of names) {
    const bv = b.get(name);
    const av = a.get(name);
    if (!bv && av) out.push({ name, change: "added", after: av });
    else if (bv && !av) out.push({ name, change: "removed", before: bv });
    else if (bv && av) {
      const fields = variableFields.filter((f) => !deepEqual(bv[f], av[f]));
      if (fields.length > 0) out.push({ name, change: "changed", before: bv, after: av, fields });
    }
  }
  return out;
}

/** A skill's files as pieces keyed by path. */
function filePieces(content: Content): Map<string, TemplatePiece> {
  if (content.type !== "skill") return new Map();
  return new Map(
    Object.entries(content.files).map(([path, text]) => [
      path,
      { key: path, text, field: `files[${JSON.stringify(path)}]` },
    ]),
  );
}

/** templateTexts, plus chat placeholders as pieces of their own (so adding or moving one shows). */
function diffablePieces(content: Content): TemplatePiece[] {
  if (content.type === "skill") return [...filePieces(content).values()];
  if (content.type === "text") return templateTexts(content);
  return content.template.map((m, index) =>
    isPlaceholder(m)
      ? {
          key: `messages[${index}] (placeholder)`,
          text: `[placeholder: ${m.name}]`,
          field: `template.messages[${index}]`,
          index,
        }
      : {
          key: `messages[${index}] (${m.role})`,
          text: contentText(m.content),
          field: `template.messages[${index}]`,
          index,
          role: m.role,
        },
  );
}

/**
 * Diffs two contents; before = null for a prompt's first version (everything is "added").
 * Chat messages are paired by index, so inserting a message early shows later ones as changed:
 * predictable, and matches how reviewers read numbered messages. When the type changes between
 * text and chat, every old piece is removed and every new one added. A skill's pieces are its files, paired
 * by path (file pieces carry `file`).
 */
export function diffContent(before: Content | null, after: Content): ContentDiff {
  const typeChanged = before !== null && before.type !== after.type;
  const bPieces = before ? diffablePieces(before) : [];
  const aPieces = diffablePieces(after);

  const pieces: PieceDiff[] = [];
  if (!typeChanged && after.type === "skill") {
    // A skill's files pair by path: SKILL.md, then every path in order, each added, removed, changed or not.
    const b = before ? filePieces(before) : new Map<string, TemplatePiece>();
    const a = filePieces(after);
    for (const path of sortSkillPaths(new Set([...b.keys(), ...a.keys()])))
      pieces.push(diffPiece(b.get(path), a.get(path), path));
  } else if (typeChanged) {
    for (const p of bPieces) pieces.push(diffPiece(p, undefined));
    for (const p of aPieces) pieces.push(diffPiece(undefined, p));
  } else {
    for (let i = 0; i < Math.max(bPieces.length, aPieces.length); i++) pieces.push(diffPiece(bPieces[i], aPieces[i]));
  }

  const config: ConfigChange[] = [];
  diffConfig(before?.config ?? {}, after.config, "", config);
  const variables = diffVariables(before?.variables ?? [], after.variables);

  const summary: string[] = [];
  if (typeChanged && before) summary.push(`type ${before.type} → ${after.type}`);
  // Under a type change the pieces are renumbered per side, so number removed and added separately.
  const removedCount = typeChanged ? bPieces.length : 0;
  pieces.forEach((p, i) => {
    const line = pieceSummary(p, p.status === "added" ? i - removedCount : i);
    if (line) summary.push(line);
  });
  for (const v of variables) {
    summary.push(
      v.change === "changed" ? `variable ${v.name} changed: ${v.fields?.join(", ")}` : `variable ${v.name} ${v.change}`,
    );
  }
  const modes = diffModes(before, after);
  for (const m of modes) summary.push(`${m.path} ${m.after === "0755" ? "made executable" : "no longer executable"}`);
  for (const c of config) summary.push(configSummary(c));
  const bExamples = before?.examples ?? [];
  if (!deepEqual(bExamples, after.examples)) {
    summary.push(
      bExamples.length === after.examples.length
        ? `examples edited (${after.examples.length})`
        : `examples ${bExamples.length} → ${after.examples.length}`,
    );
  }
  return { pieces, config, variables, ...(modes.length ? { modes } : {}), typeChanged, summary };
}
