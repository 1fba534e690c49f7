// A version as a Dotprompt .prompt file that renders, with the dotprompt library and the same variables,
// to the messages Lectern renders. Each message is written in place first (the prompt as its author wrote
// it), and the file is kept only when the library's own parser reads every message back to the tree
// Lectern's parser gives; a message that does not is written again as the exact text it renders, and
// then without line breaks around its role marker. Variables become the input schema (Picoschema), the
// model "provider/model", and what Dotprompt has no field for travels in `lectern.*` extension keys,
// which the library hands to applications as `ext.lectern`.
import { Dotprompt } from "dotprompt";
import YAML from "yaml";
import type { Content, Message } from "../content";
import { isPlaceholder } from "../content-model";
import { hbsToIr } from "./handlebars-ir";
import { inputOf, kindOfVariable } from "./input-schema";
import { alwaysBlank, FormatRefusal, normalizeIr, refuse, sameIr, type IrNode, type Scope, type ValueKind } from "./ir";
import { dotpromptKeys, fileConfig, joinModel, outputOf, responseFormatOf } from "./model-config";
import { mustacheToIr, type PartialLookup, type Placed } from "./mustache-ir";
import { parseHandlebars, splitMessages, type HbsEntry } from "./dotprompt-messages";
import { handlebarsFromIr, handlebarsInPlace, hbsPath } from "./to-handlebars";
import { deepEqual } from "../json";

export interface FileSource {
  name: string;
  description: string;
  content: Content;
  /** The version the file holds (lectern.version), so a later import knows what it was based on. */
  version?: number;
  /** What each partial the content includes contributes (the version Lectern would include). */
  partials: PartialLookup;
}

type Piece = { field: string; text: string; ir: Placed[] };
type Part =
  { kind: "text"; piece: Piece } | { kind: "url"; url: string } | { kind: "variable"; name: string; optional: boolean };
type Entry =
  { kind: "history"; name: string } | { kind: "message"; role: Message["role"]; field: string; parts: Part[] };

const dotpromptRole: Partial<Record<Message["role"], string>> = {
  system: "system",
  user: "user",
  assistant: "model",
  tool: "tool",
};

function piece(text: string, field: string, scope: Scope, partials: PartialLookup): Piece {
  try {
    return { field, text, ir: mustacheToIr({ text, field, partials }, scope) };
  } catch (e) {
    if (e instanceof FormatRefusal && !e.field) throw new FormatRefusal(e.construct, e.message, field);
    throw e;
  }
}

/** Lectern's messages and parts, each text already as the shared tree. */
function entriesOf(content: Content, scope: Scope, partials: PartialLookup): Entry[] {
  if (content.type === "skill")
    return refuse("type", "a skill has files, not messages: it has no .prompt file", "type");
  if (content.type === "text")
    return [
      {
        kind: "message",
        role: "user",
        field: "template",
        parts: [{ kind: "text", piece: piece(content.template, "template", scope, partials) }],
      },
    ];
  const placeholders = content.template.filter(isPlaceholder);
  if (placeholders.length > 1)
    refuse("placeholders", "a .prompt file has one {{history}}; this prompt has several placeholders", "template");
  const variables = new Map(content.variables.map((v) => [v.name, v]));
  return content.template.map((m, i): Entry => {
    const field = `template.messages[${i}]`;
    if (isPlaceholder(m)) return { kind: "history", name: m.name };
    if (!dotpromptRole[m.role])
      refuse("role", `role ${m.role}: Dotprompt's roles are system, user, model and tool`, field);
    const parts: Part[] =
      typeof m.content === "string"
        ? [{ kind: "text", piece: piece(m.content, field, scope, partials) }]
        : m.content.map((p, j): Part => {
            if (p.type === "text")
              return { kind: "text", piece: piece(p.text, `${field}.content[${j}]`, scope, partials) };
            if ("url" in p) return { kind: "url", url: p.url };
            const v = variables.get(p.variable);
            return { kind: "variable", name: p.variable, optional: !v?.required && v?.default === undefined };
          });
    parts.forEach((p, j) => {
      if (p.kind === "text" && alwaysBlank(p.piece.ir))
        refuse("blank", "a message or text part that is only whitespace: Dotprompt leaves it out", p.piece.field);
      if (p.kind === "text" && parts[j - 1]?.kind === "text")
        refuse("adjacent-text", "two text parts in a row: Dotprompt joins them into one", `${field}.content[${j}]`);
      if (p.kind === "url" && /["\\]/.test(p.url)) refuse("image-url", "an image URL with a quote or backslash", field);
    });
    return { kind: "message", role: m.role, field, parts };
  });
}

type Style = "in-place" | "exact";

function partText(p: Part, style: Style): string {
  if (p.kind === "url") return `{{media url="${p.url}"}}`;
  if (p.kind === "variable") {
    const media = `{{media url=${hbsPath([p.name])}}}`;
    return p.optional ? `{{#if ${hbsPath([p.name])}}}${media}{{/if}}` : media;
  }
  return style === "in-place" ? handlebarsInPlace(p.piece.text, p.piece.ir) : handlebarsFromIr(normalizeIr(p.piece.ir));
}

/** One entry's text; `tight`: no line breaks around its marker. */
function entryText(e: Entry, style: Style, tight: boolean, next: Entry | undefined, isText: boolean): string {
  if (e.kind === "history") return "{{history}}";
  const body = e.parts.map((p) => partText(p, style)).join("");
  if (isText) return body;
  const open =
    !tight && /^\S/.test(body) ? `{{role "${dotpromptRole[e.role]}"~}}\n` : `{{role "${dotpromptRole[e.role]}"}}`;
  const close = !tight && next && /\S$/.test(body) ? "\n" : "";
  return open + body + close;
}

/** The library's messages for a file, as the same kind of entries (text parts as trees). */
function libraryEntries(source: string): HbsEntry[] | string {
  try {
    const { template } = new Dotprompt().parse(source);
    const { body, alt } = parseHandlebars(template);
    return splitMessages(body, alt);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Which Lectern entries the library reads back differently (by index), or all when the shapes differ. */
function mismatches(expected: Entry[], source: string, scope: Scope): { bad: number[]; why: string[] } {
  const got = libraryEntries(source);
  const all = { bad: expected.map((_, i) => i), why: expected.map(() => (typeof got === "string" ? got : "")) };
  if (typeof got === "string") return all;
  const kept: HbsEntry[] = [];
  const why: string[] = expected.map(() => "");
  for (const g of got) {
    if (g.kind === "history") {
      kept.push(g);
      continue;
    }
    const parts = g.parts.filter((p) => {
      if (p.kind !== "text") return true;
      try {
        return !alwaysBlank(hbsToIr(p.body, scope));
      } catch {
        return true;
      }
    });
    if (parts.length) kept.push({ ...g, parts });
  }
  if (kept.length !== expected.length) return all;
  const bad: number[] = [];
  expected.forEach((e, i) => {
    const g = kept[i]!;
    const fail = (reason: string) => {
      bad.push(i);
      why[i] = reason;
    };
    if (e.kind === "history" || g.kind === "history") {
      if (e.kind !== g.kind) fail("history");
      return;
    }
    if (g.role !== e.role || g.parts.length !== e.parts.length) return fail("parts");
    e.parts.forEach((p, j) => {
      const q = g.parts[j]!;
      if (p.kind === "text") {
        if (q.kind !== "text") return fail("parts");
        try {
          if (!sameIr(p.piece.ir as IrNode[], hbsToIr(q.body, scope))) fail("whitespace");
        } catch (err) {
          fail(err instanceof Error ? err.message : String(err));
        }
      } else if (p.kind === "url") {
        if (q.kind !== "media" || !("url" in q) || q.url !== p.url) fail("media");
      } else if (q.kind !== "media" || !("variable" in q) || q.variable !== p.name || q.optional !== p.optional)
        fail("media");
    });
  });
  return { bad: [...new Set(bad)], why };
}

function frontmatter(src: FileSource, entries: Entry[]): Record<string, unknown> {
  const { content } = src;
  const config = content.config;
  const { model, providerHint } = joinModel(config);
  const output = outputOf(config.responseFormat);
  const input = inputOf(content.variables);
  const settings = fileConfig(config, dotpromptKeys, "dotprompt");
  const history = entries.find((e) => e.kind === "history");
  const exactFormat = output && !deepEqual(responseFormatOf(output), config.responseFormat);
  return {
    name: src.name,
    ...(src.description ? { description: src.description } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(Object.keys(settings).length ? { config: settings } : {}),
    ...(input.schema ? { input } : {}),
    ...(output ? { output } : {}),
    ...(src.version !== undefined ? { "lectern.version": src.version } : {}),
    ...(providerHint !== undefined ? { "lectern.provider": providerHint } : {}),
    ...(exactFormat ? { "lectern.responseFormat": config.responseFormat } : {}),
    ...(history && history.name !== "history" ? { "lectern.history": history.name } : {}),
    ...(content.examples.length ? { "lectern.examples": content.examples } : {}),
  };
}

const yamlOptions = { lineWidth: 0, blockQuote: "literal" } as const;

/**
 * The .prompt file of a version. Throws FormatRefusal naming what Dotprompt cannot carry (a developer
 * role, several placeholders, tools, a name both engines read differently, a partial whose lines Lectern
 * would indent…) or, rarely, whitespace around a tag that no writing of the message keeps.
 */
export function toDotprompt(src: FileSource): string {
  const { content } = src;
  const kinds = new Map<string, ValueKind>(content.variables.map((v) => [v.name, kindOfVariable(v)]));
  const scope: Scope = { kinds, frames: [] };
  const entries = entriesOf(content, scope, src.partials);
  const head = `---\n${new YAML.Document(frontmatter(src, entries), { aliasDuplicateObjects: false }).toString(yamlOptions)}---\n`;
  const isText = content.type === "text";
  // Per message: in place with line breaks, exactly with line breaks, in place tight, exactly tight.
  const styles: [Style, boolean][] = [
    ["in-place", false],
    ["exact", false],
    ["in-place", true],
    ["exact", true],
  ];
  const choice = entries.map(() => 0);
  let guard = false;
  for (;;) {
    let body = entries
      .map((e, i) => entryText(e, styles[choice[i]!]![0], styles[choice[i]!]![1], entries[i + 1], isText))
      .join("");
    // The library trims the template: whitespace at either end is kept behind two empty comments.
    if (guard) body = `${/^\s/.test(body) ? "{{!}}{{!}}" : ""}${body}${/\s$/.test(body) ? "{{!}}{{!}}" : ""}`;
    const source = `${head}${body}\n`;
    const { bad, why } = mismatches(entries, source, scope);
    if (bad.length === 0) return source;
    if (!guard && /^\s|\s$/.test(body)) {
      guard = true;
      continue;
    }
    const stuck = bad.find((i) => choice[i] === styles.length - 1);
    if (stuck !== undefined) {
      const e = entries[stuck]!;
      const field = e.kind === "message" ? e.field : "template";
      const reason = why[stuck];
      return refuse(
        "whitespace",
        reason && !["whitespace", "parts", "history", "media"].includes(reason)
          ? reason
          : "the whitespace around its tags cannot be written so that Dotprompt renders it the same",
        field,
      );
    }
    for (const i of bad) choice[i]!++;
    guard = false;
  }
}
