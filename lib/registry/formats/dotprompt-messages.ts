// A Dotprompt template's messages, read the way the dotprompt library builds them: the template renders
// to one string, `{{role "x"}}` starts a message, `{{history}}` puts the conversation there, `{{media}}`
// makes an image part, and a message or part that is only whitespace is left out. Only the top level may
// hold these helpers (Lectern's messages are not conditional); the one block allowed around one is
// `{{#if photo}}{{media url=photo}}{{/if}}`, an image Lectern leaves out when its variable has no value.
import Handlebars from "handlebars";
import type { MessageRole } from "../content-model";
import { describe, isPath, type HbsExpr, type HbsPath, type HbsStmt } from "./handlebars-ir";
import { refuse } from "./ir";

export type HbsPart =
  | { kind: "text"; body: HbsStmt[]; alt: HbsStmt[] }
  | { kind: "media"; url: string; optional?: false }
  | { kind: "media"; variable: string; optional: boolean };

/** explicit: opened by {{role}} (the text before the first marker is an implicit user message). */
export type HbsEntry =
  { kind: "message"; role: MessageRole; parts: HbsPart[]; explicit: boolean } | { kind: "history" };

/** Blocks nested deeper than this are refused before parsing: Handlebars' parser takes quadratic time in depth. */
export const maxBlockDepth = 64;

function blockDepth(template: string): number {
  let depth = 0;
  let max = 0;
  for (const m of template.matchAll(/\{\{~?\s*([#^/])/g)) {
    depth += m[1] === "/" ? -1 : 1;
    max = Math.max(max, depth);
  }
  return max;
}

function parseOnce(template: string, ignoreStandalone: boolean): HbsStmt[] {
  try {
    return Handlebars.parse(template, ignoreStandalone ? { ignoreStandalone } : undefined).body as unknown as HbsStmt[];
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split("\n").filter(Boolean);
    return refuse("syntax", `the template does not parse as Handlebars: ${message.join(" ")}`);
  }
}

/** The template parsed twice: as Handlebars renders it, and with only `~` applied (alt: the text as written). */
export function parseHandlebars(template: string): { body: HbsStmt[]; alt: HbsStmt[] } {
  if (blockDepth(template) > maxBlockDepth) refuse("nesting", `blocks are nested more than ${maxBlockDepth} deep`);
  return { body: parseOnce(template, false), alt: parseOnce(template, true) };
}

/** parseHandlebars for a file from anyone: `between` runs before each parse (a turn for other requests). */
export async function parseHandlebarsInTurns(
  template: string,
  between: () => Promise<void>,
): Promise<{ body: HbsStmt[]; alt: HbsStmt[] }> {
  if (blockDepth(template) > maxBlockDepth) refuse("nesting", `blocks are nested more than ${maxBlockDepth} deep`);
  await between();
  const body = parseOnce(template, false);
  await between();
  return { body, alt: parseOnce(template, true) };
}

const roles: Record<string, MessageRole> = {
  user: "user",
  model: "assistant",
  assistant: "assistant",
  system: "system",
  tool: "tool",
};

const pairs = (s: { hash?: { pairs: { key: string; value: HbsExpr }[] } }) => s.hash?.pairs ?? [];
const named = (s: HbsStmt, name: string): boolean =>
  s.type === "MustacheStatement" && isPath(s.path) && s.path.original === name;

function mediaPart(s: Extract<HbsStmt, { type: "MustacheStatement" }>): HbsPart {
  const where = describe(s);
  const keys = pairs(s).map((p) => p.key);
  if (keys.includes("contentType"))
    refuse(
      "media-content-type",
      `${where}: contentType — Lectern reads an image's type from the image itself; remove contentType`,
    );
  const url = pairs(s).find((p) => p.key === "url")?.value;
  const other = keys.find((k) => k !== "url");
  if (s.params.length || other || !url)
    return refuse("media", `${where}: media takes url=${other ? `; ${other} is not one of its options` : ""}`);
  if (url.type === "StringLiteral") return { kind: "media", url: String(url.value) };
  if (isPath(url) && !url.data && url.depth === 0 && url.parts.length === 1)
    return { kind: "media", variable: url.parts[0]!, optional: false };
  return refuse("media", `${where}: the url must be a text or one input`);
}

const blank = (s: HbsStmt) => s.type === "ContentStatement" && s.value.trim() === "";

/** `{{#if photo}}{{media url=photo}}{{/if}}`: an image left out when its variable has no value. */
function optionalMedia(s: HbsStmt): HbsPart | undefined {
  if (s.type !== "BlockStatement" || !isPath(s.path) || s.path.original !== "if" || s.inverse) return undefined;
  const [test] = s.params;
  const inner = (s.program?.body ?? []).filter((x) => !blank(x));
  const only = inner[0];
  if (!isPath(test) || inner.length !== 1 || !only || !named(only, "media")) return undefined;
  const part = mediaPart(only as Extract<HbsStmt, { type: "MustacheStatement" }>);
  if (!("variable" in part) || part.variable !== (test as HbsPath).original) return undefined;
  // Whitespace inside the block would join the text beside it only when the image is there.
  if ((s.program?.body ?? []).some((x) => x.type === "ContentStatement" && x.value !== ""))
    refuse(
      "media-whitespace",
      `${describe(s)}: write {{#if ${part.variable}}}{{media url=${part.variable}}}{{/if}} with nothing else inside`,
    );
  return { ...part, optional: true };
}

/** Splits the top-level statements into messages and parts, as the library's toMessages does. */
export function splitMessages(body: HbsStmt[], alt: HbsStmt[]): HbsEntry[] {
  const entries: HbsEntry[] = [];
  let current: { role: MessageRole; parts: HbsPart[]; explicit: boolean } = {
    role: "user",
    parts: [],
    explicit: false,
  };
  const close = () => {
    entries.push({ kind: "message", ...current });
  };
  const text = (s: HbsStmt, a: HbsStmt) => {
    const last = current.parts[current.parts.length - 1];
    if (last?.kind === "text") {
      last.body.push(s);
      last.alt.push(a);
    } else current.parts.push({ kind: "text", body: [s], alt: [a] });
  };
  body.forEach((s, i) => {
    const a = alt[i]!;
    if (s.type === "MustacheStatement" && isPath(s.path)) {
      const name = s.path.original;
      if (name === "role") {
        const [r] = s.params;
        const role = r?.type === "StringLiteral" ? roles[String(r.value)] : undefined;
        if (!role || s.params.length !== 1)
          refuse("role", `${describe(s)}: the role must be "system", "user", "model" or "tool"`);
        close();
        current = { role: role!, parts: [], explicit: true };
        return;
      }
      if (name === "history") {
        if (s.params.length || pairs(s).length) refuse("history", `${describe(s)}: history takes nothing`);
        close();
        entries.push({ kind: "history" });
        // The library starts a model message after the history.
        current = { role: "assistant", parts: [], explicit: false };
        return;
      }
      if (name === "media") {
        current.parts.push(mediaPart(s));
        return;
      }
      if (name === "section")
        refuse(
          "section",
          `${describe(s)}: Dotprompt's sections (for documents the application adds) have no counterpart`,
        );
    }
    const media = optionalMedia(s);
    if (media) current.parts.push(media);
    else text(s, a);
  });
  close();
  return entries;
}
