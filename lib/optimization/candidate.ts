// What the optimizer changes in a version: its instruction (a chat prompt's first system message, a text
// prompt's template) and the few-shot examples it shows. Pure: a candidate is a new Content, validated by
// the registry's schema like any save, so a draft made from it is a version-to-be a reviewer can merge.
import { contentSchema, type Content } from "../registry/content";

/** One few-shot example: the item's variables and an answer that scored well on it. */
export interface Demo {
  input: Record<string, unknown>;
  /** The turns the version renders for the input (chat prompts): what the example's user said. */
  turns: { role: "user" | "assistant"; content: string }[];
  output: string;
}

export interface Candidate {
  instruction: string;
  demos: Demo[];
}

/** At most this many examples go into a candidate (a longer prompt costs every call it makes). */
export const MAX_DEMOS = 4;

const firstSystem = (content: Content) =>
  content.type === "chat"
    ? content.template.findIndex((m) => "role" in m && m.role === "system" && typeof m.content === "string")
    : -1;

/** The instruction the optimizer rewrites: a chat prompt's first system message, a text prompt's template. */
export function instructionOf(content: Content): string {
  if (content.type === "skill") return ""; // a skill is served as written: nothing to rewrite
  if (content.type === "text") return content.template;
  const i = firstSystem(content);
  const m = i >= 0 ? content.template[i] : undefined;
  return m && "role" in m && typeof m.content === "string" ? m.content : "";
}

/** The `{{…}}` tags of a template, which a rewritten instruction must keep (the variables it is given). */
export function templateTags(text: string): string[] {
  return [...new Set(text.match(/\{\{\{?[^{}]*\}?\}\}/g) ?? [])];
}

/** Why a proposed instruction cannot be used, or true (Ax's validator contract). */
export function checkInstruction(current: string, proposed: string): true | string {
  if (!proposed.trim()) return "the instruction must not be empty";
  if (proposed.length > 20_000) return "the instruction must be at most 20,000 characters";
  const missing = templateTags(current).filter((t) => !proposed.includes(t));
  if (missing.length) return `the instruction must keep these template tags exactly: ${missing.join(", ")}`;
  const added = templateTags(proposed).filter((t) => !templateTags(current).includes(t));
  if (added.length) return `the instruction must not add template tags: ${added.join(", ")}`;
  return true;
}

/**
 * Text shown literally in a template: a value holding `{{` or `}}` would be read as a tag, so an example
 * with one is not used (the search picks others) rather than escaped into something else.
 */
export const literalSafe = (text: string) => !text.includes("{{") && !text.includes("}}");

export const demoSafe = (d: Demo) => literalSafe(d.output) && d.turns.every((t) => literalSafe(t.content));

const demoBlock = (demos: Demo[]) =>
  demos.length === 0
    ? ""
    : `\n\nExamples:\n\n${demos.map((d) => `Input: ${JSON.stringify(d.input)}\nOutput: ${d.output}`).join("\n\n")}`;

/**
 * The version's content with the candidate's instruction and examples: chat prompts get the examples as
 * user and assistant turns after the instruction; text prompts as an "Examples" block after it. The
 * examples are also kept in `examples`, the content model's own field for them. Throws the schema's error
 * (AppError-free: a ZodError) when the result is not a valid content.
 */
export function applyCandidate(base: Content, c: Candidate): Content {
  const demos = c.demos.filter(demoSafe).slice(0, MAX_DEMOS);
  const examples = demos.map((d) => ({ input: d.input, output: d.output }));
  if (base.type === "skill") throw new Error("a skill is served as written: it has no instruction to optimize");
  if (base.type === "text")
    return contentSchema.parse({ ...base, template: c.instruction + demoBlock(demos), examples });
  const template = [...base.template];
  const i = firstSystem(base);
  const system = { role: "system" as const, content: c.instruction };
  let at: number;
  if (i >= 0) {
    template[i] = { ...(template[i] as object), ...system } as (typeof template)[number];
    at = i + 1;
  } else {
    template.unshift(system);
    at = 1;
  }
  const turns = demos.flatMap((d) => [...d.turns, { role: "assistant" as const, content: d.output }]);
  template.splice(at, 0, ...turns);
  return contentSchema.parse({ ...base, template, examples });
}
