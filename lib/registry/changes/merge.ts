// Three-way merge of a draft (ours) into the latest version (theirs), both derived from the version
// the draft was started from (base). Anything both sides changed differently is a conflict; nothing
// is ever silently dropped.
import { merge as diff3 } from "node-diff3";
import { contentText } from "../content-parts";
import { isPlaceholder } from "../content-model";
import type { ChatContent, ChatEntry, Content, SkillContent, TextContent, Variable } from "../content";
import { deepEqual } from "../json";
import { executableModes, orderedFiles, skillFileMode, sortSkillPaths } from "../skills/skill-files";

export interface MergeConflict {
  /**
   * "template" (text prompts), "messages[i]" (a chat message's content), "messages[i].role",
   * "messages" (messages added/removed on both sides), "type", "variables.<name>",
   * "config.<key>" or "examples".
   */
  key: string;
  /** The three sides as text: template text, a role, or pretty-printed JSON ("" when absent). */
  base: string;
  ours: string;
  theirs: string;
  /** Text conflicts only: the merged text with git-style <<<<<<< draft / ======= / >>>>>>> latest markers. */
  marked?: string;
}

export type MergeResult = { ok: true; content: Content } | { ok: false; conflicts: MergeConflict[]; partial: Content };

export interface MergeLabels {
  ours: string;
  theirs: string;
}

const defaultLabels: MergeLabels = { ours: "draft", theirs: "latest" };

type Merged<T> = { ok: true; value: T } | { ok: false };

/** Whole-value three-way choice: a side that left the base alone yields to the side that changed. */
function merge3<T>(base: T, ours: T, theirs: T): Merged<T> {
  if (deepEqual(ours, theirs)) return { ok: true, value: ours };
  if (deepEqual(base, ours)) return { ok: true, value: theirs };
  if (deepEqual(base, theirs)) return { ok: true, value: ours };
  return { ok: false };
}

/** Line-based three-way merge of one text; on conflict, the text with conflict markers. */
export function mergeText(
  base: string,
  ours: string,
  theirs: string,
  labels: MergeLabels = defaultLabels,
): { ok: true; text: string } | { ok: false; marked: string } {
  const quick = merge3(base, ours, theirs);
  if (quick.ok) return { ok: true, text: quick.value };
  const r = diff3(ours.split("\n"), base.split("\n"), theirs.split("\n"), {
    label: { a: labels.ours, b: labels.theirs },
  });
  const text = r.result.join("\n");
  return r.conflict ? { ok: false, marked: text } : { ok: true, text };
}

const asJson = (value: unknown) => (value === undefined ? "" : JSON.stringify(value, null, 2));
const asTranscript = (messages: ChatEntry[]) =>
  messages
    .map((m) => (isPlaceholder(m) ? `[placeholder: ${m.name}]` : `[${m.role}]\n${contentText(m.content)}`))
    .join("\n\n");

class Merger {
  readonly conflicts: MergeConflict[] = [];
  constructor(private readonly labels: MergeLabels) {}

  text(key: string, base: string, ours: string, theirs: string): string {
    const r = mergeText(base, ours, theirs, this.labels);
    if (r.ok) return r.text;
    this.conflicts.push({ key, base, ours, theirs, marked: r.marked });
    return r.marked;
  }

  // On conflict, keep the draft's value: the partial result goes back to the draft's author to resolve.
  value<T>(key: string, base: T, ours: T, theirs: T, show: (v: T) => string = asJson): T {
    const r = merge3(base, ours, theirs);
    if (r.ok) return r.value;
    this.conflicts.push({ key, base: show(base), ours: show(ours), theirs: show(theirs) });
    return ours;
  }

  messages(base: ChatEntry[], ours: ChatEntry[], theirs: ChatEntry[]): ChatEntry[] {
    const sameShape = (a: ChatEntry[]) => a.every((m, i) => isPlaceholder(m) === isPlaceholder(base[i]!));
    if (base.length === ours.length && base.length === theirs.length && sameShape(ours) && sameShape(theirs)) {
      return base.map((b, i): ChatEntry => {
        const o = ours[i] ?? b;
        const t = theirs[i] ?? b;
        if (isPlaceholder(b) || isPlaceholder(o) || isPlaceholder(t))
          return this.value(`messages[${i}]`, b, o, t, (v) =>
            isPlaceholder(v) ? `[placeholder: ${v.name}]` : contentText(v.content),
          );
        const role = this.value(`messages[${i}].role`, b.role, o.role, t.role, String);
        // Text merges line by line; a message of parts (images) merges as one value.
        if (typeof b.content === "string" && typeof o.content === "string" && typeof t.content === "string")
          return { role, content: this.text(`messages[${i}]`, b.content, o.content, t.content) };
        return { role, content: this.value(`messages[${i}].content`, b.content, o.content, t.content, contentText) };
      });
    }
    // Messages were added or removed: only safe when the other side left the messages alone.
    return this.value("messages", base, ours, theirs, asTranscript);
  }

  /** Keyed merge: entries in theirs' order, then entries only the draft has, in the draft's order. */
  keyed<T>(prefix: string, base: Map<string, T>, ours: Map<string, T>, theirs: Map<string, T>): [string, T][] {
    const keys = new Set([...theirs.keys(), ...ours.keys(), ...base.keys()]);
    const out: [string, T][] = [];
    for (const k of keys) {
      const v = this.value(`${prefix}.${k}`, base.get(k), ours.get(k), theirs.get(k));
      if (v !== undefined) out.push([k, v]);
    }
    return out;
  }
}

type TemplatePart =
  | Pick<TextContent, "type" | "template">
  | Pick<ChatContent, "type" | "template">
  | Pick<SkillContent, "type" | "files" | "modes">;

const templatePart = (c: Content): TemplatePart =>
  c.type === "skill"
    ? { type: "skill", files: c.files, ...(c.modes ? { modes: c.modes } : {}) }
    : c.type === "text"
      ? { type: "text", template: c.template }
      : { type: "chat", template: c.template };

/** A skill's files merge path by path: a file both sides edited by lines, one added or removed as a value. */
function mergeFiles(
  m: Merger,
  base: SkillContent["files"],
  ours: SkillContent["files"],
  theirs: SkillContent["files"],
) {
  const out: Record<string, string> = {};
  for (const path of sortSkillPaths(new Set([...Object.keys(base), ...Object.keys(ours), ...Object.keys(theirs)]))) {
    const [b, o, t] = [base[path], ours[path], theirs[path]];
    const key = `files[${JSON.stringify(path)}]`;
    const merged =
      b !== undefined && o !== undefined && t !== undefined
        ? m.text(key, b, o, t)
        : m.value(key, b, o, t, (v) => v ?? "");
    if (merged !== undefined) out[path] = merged;
  }
  return orderedFiles(out);
}

/** The modes of the merged files, each chosen three ways like any value (a file one side added keeps its own). */
function mergeModes(m: Merger, files: Record<string, string>, base: Content, ours: SkillContent, theirs: SkillContent) {
  const modes: Record<string, string> = {};
  const baseModes = base.type === "skill" ? base.modes : undefined;
  for (const p of Object.keys(files))
    modes[p] = m.value(
      `modes[${JSON.stringify(p)}]`,
      skillFileMode(baseModes, p),
      skillFileMode(ours.modes, p),
      skillFileMode(theirs.modes, p),
      String,
    );
  return executableModes(files, modes);
}

function mergeTemplate(m: Merger, base: Content, ours: Content, theirs: Content): TemplatePart {
  if (ours.type === "skill" && theirs.type === "skill") {
    const files = mergeFiles(m, base.type === "skill" ? base.files : {}, ours.files, theirs.files);
    const modes = mergeModes(m, files, base, ours, theirs);
    return { type: "skill", files, ...(modes ? { modes } : {}) };
  }
  if (ours.type !== theirs.type) {
    // Exactly one side switched between text and chat; that wins only if the other side left the template alone.
    const [switched, stayed] = ours.type !== base.type ? [ours, theirs] : [theirs, ours];
    if (deepEqual(templatePart(stayed), templatePart(base))) return templatePart(switched);
    m.conflicts.push({ key: "type", base: base.type, ours: ours.type, theirs: theirs.type });
    return templatePart(ours);
  }
  if (ours.type === "text" && theirs.type === "text") {
    // Both sides switched to text from a chat base: merge against an empty base.
    const b = base.type === "text" ? base.template : "";
    return { type: "text", template: m.text("template", b, ours.template, theirs.template) };
  }
  if (ours.type === "chat" && theirs.type === "chat") {
    const b = base.type === "chat" ? base.template : [];
    return { type: "chat", template: m.messages(b, ours.template, theirs.template) };
  }
  throw new Error("unreachable: sides share a type");
}

const byName = (vars: Variable[]) => new Map(vars.map((v) => [v.name, v]));
const byKey = (config: Record<string, unknown>) => new Map(Object.entries(config));

/**
 * Merges the draft (ours) and the latest version (theirs) against their common base.
 * - Text: line-based diff3; edits to the same or adjacent lines conflict, with markers in `marked`.
 * - Chat with the same message count on all sides: per message (content by lines, role as a value).
 *   Otherwise the message list is taken whole from the side that changed it, or conflicts on "messages".
 * - Skills: file by file (a file both sides kept merges by lines; added or removed ones as a whole).
 * - Variables by name, config by top-level key, examples as a whole.
 * On conflict, `partial` holds every clean merge, text conflicts with markers, and the draft's side
 * of every other conflict. Validate the result (parseContent, validateContent) before saving it.
 */
export function mergeContent(
  base: Content,
  ours: Content,
  theirs: Content,
  labels: MergeLabels = defaultLabels,
): MergeResult {
  const m = new Merger(labels);
  const template = mergeTemplate(m, base, ours, theirs);
  const variables = m
    .keyed("variables", byName(base.variables), byName(ours.variables), byName(theirs.variables))
    .map(([, v]) => v);
  const config = Object.fromEntries(m.keyed("config", byKey(base.config), byKey(ours.config), byKey(theirs.config)));
  const examples = m.value("examples", base.examples, ours.examples, theirs.examples);

  const content: Content = { ...template, variables, config, examples };
  return m.conflicts.length === 0 ? { ok: true, content } : { ok: false, conflicts: m.conflicts, partial: content };
}
