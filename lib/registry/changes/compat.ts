// Which changes between two versions break the applications that call the prompt, and which do not.
// A caller sends variable values and reads what the model answers; a change is breaking when a
// request that worked against the old version fails (or silently changes meaning) against the new
// one: a new variable it must now send, a variable it sends that is gone or has another type, a
// different prompt shape (text ↔ chat), or a different response format or set of tools. Pure.
import type { Content, Variable } from "../content";
import { diffContent, examplesChanged, type ContentDiff, type VariableChange } from "./diff";
import { formatValue } from "../json";

export type CompatKind =
  | "variable.added"
  | "variable.removed"
  | "variable.retyped"
  | "variable.required"
  | "variable.optional"
  | "variable.default"
  | "variable.description"
  | "variable.schema"
  | "type"
  | "response-format"
  | "tools"
  | "template"
  | "config"
  | "examples";

export interface CompatChange {
  /** Stable identity of the change, e.g. "variable.added:order_id"; a confirmation names these keys. */
  key: string;
  kind: CompatKind;
  breaking: boolean;
  /** The variable name or setting the change is about, when there is one. */
  subject?: string;
  /** One sentence for the people who edit and release prompts. */
  message: string;
  /** For breaking changes: what happens to a caller that is not updated. */
  impact?: string;
  /** For breaking changes that the editor can undo without losing the change's intent. */
  fix?: "make-optional" | "add-default";
}

export interface Compatibility {
  breaking: CompatChange[];
  compatible: CompatChange[];
}

/** A variable a caller must send: required and without a default. */
export const mustBeSent = (v: Pick<Variable, "required" | "default">) => v.required && v.default === undefined;

const shown = (v: unknown) => (v === undefined ? "none" : formatValue(v));

function variableChanges(c: VariableChange): CompatChange[] {
  const name = c.name;
  const out: CompatChange[] = [];
  const add = (kind: CompatKind, breaking: boolean, message: string, extra: Partial<CompatChange> = {}) =>
    out.push({ key: `${kind}:${name}`, kind, breaking, subject: name, message, ...extra });

  if (c.change === "added" && c.after) {
    const v = c.after;
    if (mustBeSent(v))
      add("variable.added", true, `New required variable ${name} (${v.type}) without a default.`, {
        impact: `Applications that do not send ${name} get an error (422 missing_variables) instead of a prompt.`,
        fix: "make-optional",
      });
    else
      add(
        "variable.added",
        false,
        v.default === undefined
          ? `New optional variable ${name} (${v.type}).`
          : `New variable ${name} (${v.type}) with the default ${formatValue(v.default)}.`,
      );
    return out;
  }
  if (c.change === "removed" && c.before) {
    add("variable.removed", true, `Variable ${name} removed.`, {
      impact: `Applications that still send ${name} have it ignored (with a warning): what they send no longer reaches the prompt.`,
    });
    return out;
  }
  const b = c.before;
  const a = c.after;
  if (!b || !a) return out;
  const fields = new Set(c.fields ?? []);
  if (fields.has("type")) {
    // Every value of another type is also a JSON value, so widening to json accepts whatever callers sent.
    if (a.type === "json")
      add("variable.retyped", false, `Variable ${name} now accepts any JSON value (was ${b.type}).`);
    else
      add("variable.retyped", true, `Variable ${name} changes type from ${b.type} to ${a.type}.`, {
        impact: `Applications that send ${name} as a ${b.type} get an error (422 invalid_variables).`,
      });
  }
  const wasOptional = !mustBeSent(b);
  const nowRequired = mustBeSent(a);
  if (wasOptional && nowRequired) {
    const why = b.default !== undefined && a.default === undefined ? "loses its default" : "becomes required";
    add("variable.required", true, `Variable ${name} ${why}: applications must now send it.`, {
      impact: `Applications that do not send ${name} get an error (422 missing_variables) instead of a prompt.`,
      fix: b.default !== undefined ? "add-default" : "make-optional",
    });
  } else if (!wasOptional && !nowRequired) {
    add(
      "variable.optional",
      false,
      a.default !== undefined && b.default === undefined
        ? `Variable ${name} gets the default ${formatValue(a.default)}, so applications may leave it out.`
        : `Variable ${name} becomes optional.`,
    );
  } else if (fields.has("required")) {
    add(
      "variable.optional",
      false,
      `Variable ${name} is marked ${a.required ? "required" : "optional"} (it has a default, so applications may leave it out either way).`,
    );
  }
  // Between two optional states only; the transitions above already name a default that appears or goes.
  if (fields.has("default") && wasOptional && !nowRequired)
    add("variable.default", false, `Default of ${name}: ${shown(b.default)} → ${shown(a.default)}.`);
  if (fields.has("description")) add("variable.description", false, `Description of ${name} changed.`);
  // Any new or changed schema may refuse a value callers send; none checks nothing more than the type.
  if (fields.has("schema"))
    if (a.schema === undefined) add("variable.schema", false, `Variable ${name} no longer has a schema.`);
    else
      add("variable.schema", true, `Variable ${name} ${b.schema ? "changes its schema" : "gets a schema"}.`, {
        impact: `Applications that send ${name} in a shape the schema refuses get an error (422 invalid_variables).`,
      });
  return out;
}

/** The top-level config key a dotted path belongs to ("responseFormat.schema.type" → "responseFormat"). */
const topKey = (path: string) => path.split(".")[0] ?? path;

/** Classifies every change of a diff as breaking for callers or compatible. */
export function classifyDiff(diff: ContentDiff): Compatibility {
  const all: CompatChange[] = [];
  if (diff.typeChanged) {
    const to = diff.pieces.find((p) => p.status === "added")?.roles ? "chat" : "text";
    const from = to === "chat" ? "text" : "chat";
    all.push({
      key: "type",
      kind: "type",
      breaking: true,
      message: `The prompt changes from ${from} to ${to}.`,
      impact:
        to === "chat"
          ? "Applications get a list of messages instead of one text."
          : "Applications get one text instead of a list of messages.",
    });
  }
  for (const v of diff.variables) all.push(...variableChanges(v));

  const byKey = new Map<string, string[]>();
  for (const c of diff.config) byKey.set(topKey(c.path), [...(byKey.get(topKey(c.path)) ?? []), c.path]);
  for (const [key, paths] of byKey) {
    if (key === "responseFormat")
      all.push({
        key: "response-format",
        kind: "response-format",
        breaking: true,
        subject: key,
        message: `The response format changes (${paths.join(", ")}).`,
        impact: "Applications that parse the model's answer may not understand the new format.",
      });
    else if (key === "tools")
      all.push({
        key: "tools",
        kind: "tools",
        breaking: true,
        subject: key,
        message: "The tools the model may call change.",
        impact: "Applications must handle every tool call the model can now make.",
      });
    else
      all.push({
        key: `config:${key}`,
        kind: "config",
        breaking: false,
        subject: key,
        message: `Model setting ${key} changed.`,
      });
  }
  if (!diff.typeChanged && diff.pieces.some((p) => p.status !== "unchanged"))
    all.push({ key: "template", kind: "template", breaking: false, message: "The template text changed." });
  if (examplesChanged(diff))
    all.push({ key: "examples", kind: "examples", breaking: false, message: "The few-shot examples changed." });
  return { breaking: all.filter((c) => c.breaking), compatible: all.filter((c) => !c.breaking) };
}

/**
 * Classifies the change from what callers get now (`before`; null when nothing is live, so nobody
 * can depend on it yet) to `after`.
 */
export function classifyChange(before: Content | null, after: Content): Compatibility {
  if (!before) return { breaking: [], compatible: [] };
  return classifyDiff(diffContent(before, after));
}

/**
 * The breaking changes a confirmation does not cover (empty: the release may go ahead). A confirmation
 * is `true` (the API's "I know") or the keys of the changes the person saw.
 */
export function unconfirmed<T extends { key: string }>(
  breaking: readonly T[],
  confirmed: boolean | readonly string[],
): T[] {
  if (confirmed === true) return [];
  const keys = new Set(confirmed === false ? [] : confirmed);
  return breaking.filter((c) => !keys.has(c.key));
}
