// Message lists passed to a model call as Lectern chat templates. In the AI SDK's, OpenAI's and Anthropic's
// lists, what cannot be a template (a spread history, a message built elsewhere) stays in the code and the
// messages written at the call before or after it become the prompt; LangChain's fromMessages list is taken
// whole (its placeholders become Lectern's) or not at all.
import type { ChatEntry } from "./model";
import { endOf, entityPath, startOf, unwrap, type Node } from "./js-ast";
import { textOf, Vars, type Place } from "./js-values";

const roles = new Set(["system", "user", "assistant", "developer"]);
const langchainRoles: Record<string, string> = {
  system: "system",
  human: "user",
  user: "user",
  ai: "assistant",
  assistant: "assistant",
};

/** One {role, content} message written at the call with text content, or why it is not. */
function sdkMessage(el: Node, vars: Vars, place: Place): { entry: ChatEntry } | { reason: string } {
  if (el.type !== "ObjectExpression") return { reason: "not a {role, content} object written at the call" };
  let role: string | undefined;
  let content: Node | undefined;
  for (const p of el.properties) {
    const key = p.type === "ObjectProperty" && !p.computed ? (p.key as { name?: string; value?: string }) : undefined;
    const name = key && (key.name ?? key.value);
    if (p.type !== "ObjectProperty" || (name !== "role" && name !== "content"))
      return { reason: "it has other fields than role and content" };
    if (name === "role") {
      const r = unwrap(p.value);
      role = r.type === "StringLiteral" && roles.has(r.value) ? r.value : undefined;
    } else content = p.value;
  }
  if (!role || !content) return { reason: "it has no role Lectern knows written as a string, or no content" };
  const c = unwrap(content);
  if (c.type === "ArrayExpression") return { reason: "its content is a list of parts" };
  const text = textOf(c, vars, place);
  if ("reason" in text) {
    const path = c.type !== "Identifier" && entityPath(c);
    return { reason: path ? `its content is ${path.join(".")}, not text written in the code` : text.reason };
  }
  return { entry: { role, content: text.text } };
}

export interface Messages {
  template: ChatEntry[];
  /** What the prompt replaces: the whole list, or its messages from `start` to `end` (the rest stays). */
  whole: boolean;
  start: number;
  end: number;
}

/**
 * The messages written at the call in a list (the AI SDK's, OpenAI's, Anthropic's): the first run of
 * consecutive {role, content} messages with text becomes the prompt; spreads (...history) and messages
 * built elsewhere stay in the code where they are, each said in the notes.
 */
export function sdkMessagesOf(e0: Node, vars: Vars, place: Place): Messages | { reason: string } {
  const e = unwrap(e0);
  if (e.type !== "ArrayExpression") return { reason: "not a list of messages written at the call (built elsewhere)" };
  const shown = (n: Node) => place.src.slice(startOf(n), endOf(n)).replace(/\s+/g, " ").slice(0, 60);
  // First pass, on throw-away variables: which entries can be a template.
  const kinds = e.elements.map((el) => {
    if (!el) return { reason: "an empty slot" };
    if (el.type === "SpreadElement") return { spread: true as const, reason: `the spread ${shown(el)}` };
    return sdkMessage(el, new Vars(place.src), place);
  });
  let run: [number, number] | undefined;
  for (let i = 0; i < kinds.length && !run; i++) {
    if (!("entry" in kinds[i]!)) continue;
    let j = i;
    while (j + 1 < kinds.length && "entry" in kinds[j + 1]!) j++;
    run = [i, j];
  }
  if (!run) {
    const first = kinds.findIndex((k) => !("spread" in k));
    const k = kinds[first];
    if (k && "reason" in k) return { reason: `message ${first + 1}: ${k.reason}` };
    return { reason: "no text is written at the call: every message comes from elsewhere" };
  }
  const template: ChatEntry[] = [];
  for (let i = run[0]; i <= run[1]; i++) {
    const m = sdkMessage(e.elements[i]!, vars, place);
    if ("entry" in m) template.push(m.entry);
  }
  kinds.forEach((k, i) => {
    if (i >= run[0] && i <= run[1]) return;
    const where = i < run[0] ? "before" : "after";
    if ("spread" in k) vars.notes.push(`message ${i + 1}, ${k.reason}, stays in the code, ${where} the prompt's`);
    else if ("reason" in k) vars.notes.push(`message ${i + 1} stays in the code (${k.reason}), ${where} the prompt's`);
    else
      vars.notes.push(
        `message ${i + 1} stays in the code: only the first run of messages written at the call is adopted`,
      );
  });
  const first = e.elements[run[0]]!;
  const last = e.elements[run[1]]!;
  return { template, whole: run[0] === 0 && run[1] === e.elements.length - 1, start: startOf(first), end: endOf(last) };
}

/** LangChain's fromMessages list: [role, template] pairs and placeholders, all of them, or why not. */
export function langchainMessagesOf(
  e0: Node,
  vars: Vars,
  place: Place,
): { template: ChatEntry[] } | { reason: string } {
  const e = unwrap(e0);
  if (e.type !== "ArrayExpression") return { reason: "not a list of messages written at the call (built elsewhere)" };
  const template: ChatEntry[] = [];
  for (const [i, el] of e.elements.entries()) {
    const at = `message ${i + 1}`;
    const placeholder = (name: string) => {
      const n = name.replace(/^\{|\}$/g, "");
      if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(n)) return { reason: `${at} is a placeholder with an unusual name` };
      template.push({ type: "placeholder", name: n });
      vars.placeholders.push({ name: n, expr: JSON.stringify(n) });
      return undefined;
    };
    if (el?.type === "NewExpression" && el.callee.type === "Identifier" && el.callee.name === "MessagesPlaceholder") {
      const a = el.arguments[0];
      if (a?.type !== "StringLiteral") return { reason: `${at} is a MessagesPlaceholder without a written name` };
      const r = placeholder(a.value);
      if (r) return r;
      continue;
    }
    if (el?.type !== "ArrayExpression" || el.elements.length !== 2)
      return { reason: `${at} is not a [role, template] pair written at the call` };
    const [r, c] = el.elements;
    if (r?.type === "StringLiteral" && r.value === "placeholder" && c?.type === "StringLiteral") {
      const p = placeholder(c.value);
      if (p) return p;
      continue;
    }
    const role = r?.type === "StringLiteral" ? langchainRoles[r.value] : undefined;
    if (!role || !c || c.type === "SpreadElement")
      return { reason: `${at} has no role LangChain knows, or no template` };
    const text = textOf(c, vars, place, true);
    if ("reason" in text) return { reason: `${at}: ${text.reason}` };
    template.push({ role, content: text.text });
  }
  return { template };
}
