// The scripted model's answer to a prompt: it follows the instructions it can read in the prompt (a word
// limit, one sentence, bullet points, a next step, a VIP callback, "reply with exactly: …") and answers from
// the material the prompt carries (a knowledge-base excerpt, a document, a ticket). Where an instruction is
// missing, it behaves like a loose model: now and then it rambles or forgets the next step, decided by a hash
// of the prompt, so a version that asks for these gets better scores than one that does not. How the answer
// is dressed (a sign-off, a language, a tone, JSON, a bullet list, a sentence limit) is in style.ts. Pure.
import { dress, greetingFor, PHRASES, styleOf, type Style } from "./style";
import { limitWords, pick, sections, sentences, words } from "./text-tools";

export type Directives = {
  exact?: string;
  maxWords?: number;
  oneSentence: boolean;
  bullets?: number;
  nextStep: boolean;
  callback: boolean;
  escalate: boolean;
};

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, ten: 10 };
const count = (s: string | undefined) => (s ? ((Number(s) || NUMBER_WORDS[s.toLowerCase()]) ?? undefined) : undefined);

/** What the prompt asks of the answer, read from its instructions. */
export function directivesOf(instructions: string): Directives {
  const exact = /reply with exactly:\s*"?([^"\n]+?)"?\s*(?:\n|$)/i.exec(instructions)?.[1]?.trim();
  const limit = /\b(?:under|at most|no more than|fewer than|within|max(?:imum)?(?: of)?)\s+(\d+)\s+words\b/i.exec(
    instructions,
  );
  const bullets = /(?:in\s+)?(?:at most\s+)?(\w+)?\s*bullet(?:[- ]points?|s)\b/i.exec(instructions);
  return {
    ...(exact && { exact: exact.replace(/\.$/, "") }),
    ...(limit && { maxWords: Number(limit[1]) }),
    oneSentence: /\bone (?:short |single )?sentence\b/i.test(instructions),
    ...(bullets && { bullets: count(bullets[1]) ?? 3 }),
    nextStep: /\bnext step\b/i.test(instructions),
    callback: /\bcallback\b/i.test(instructions) && /\bVIP\b/.test(instructions),
    escalate: /\bescalat/i.test(instructions),
  };
}

// Words of five letters or more, by their first five ("charged" and "charges" are one word here).
const contentWords = (text: string) =>
  new Set(
    words(text.toLowerCase())
      .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ""))
      .filter((w) => w.length >= 5)
      .map((w) => w.slice(0, 5)),
  );
const overlaps = (a: string, b: string) => [...contentWords(a)].some((w) => contentWords(b).has(w));

const FILLER =
  "We truly appreciate your patience and understand how frustrating this situation can be for you and your team. ";

/** The material after the instructions of a text prompt: its last paragraph. */
const lastParagraph = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .at(-1) ?? "";

/** Clauses of a document: its sentences, split again at semicolons. */
const clauses = (text: string) =>
  sentences(text).flatMap((s) =>
    s.split(/;\s+/).map((c) => c.replace(/[.!?]$/, "").replace(/^\p{Ll}/u, (x) => x.toUpperCase())),
  );

function summary(document: string, d: Directives): string {
  const parts = clauses(document);
  if (d.oneSentence) return `${limitWords(parts[0] ?? document, 12).replace(/\.$/, "")}.`;
  if (d.bullets)
    return parts
      .slice(0, d.bullets)
      .map((c) => `- ${c}.`)
      .join("\n");
  return parts.join(". ") + ".";
}

/** A support reply from a ticket and a knowledge-base excerpt, following the directives it found. */
function supportReply(user: string, s: Map<string, string>, d: Directives, style: Style): string {
  const p = PHRASES[style.language];
  const name = s.get("customer") ?? s.get("customer name") ?? s.get("name");
  const ticket = s.get("ticket") ?? s.get("question") ?? s.get("message") ?? "";
  const kb = s.get("knowledge base") ?? s.get("context") ?? "";
  // Told to be brief, it skips the pleasantry ("Hi Ann." rather than "Hi Ann, thanks for reaching out.").
  const brief = d.maxWords !== undefined && style.language === "en" && !style.tone;
  // Held to a sentence or two, it gives the substance without a greeting.
  const greeting =
    style.maxSentences !== undefined && style.maxSentences < 3
      ? ""
      : brief
        ? `${name ? `Hi ${name}.` : "Hello."} `
        : `${greetingFor(style, name)} `;
  const covered = !kb || !ticket || overlaps(ticket, kb);
  let body = covered ? `${greeting}${kb || "Here is what I can tell you."}` : `${greeting}${p.notCovered}`;
  // A model not told to be brief rambles now and then.
  if (d.maxWords === undefined && !style.maxSentences && pick(`${user}|long`, 3) === 0)
    body += ` ${FILLER.repeat(7).trim()}`;
  const close: string[] = [];
  if (!covered && d.escalate) close.push(p.escalate);
  else if (d.nextStep || pick(`${user}|step`, 2) === 0) close.push(p.nextStep);
  if (d.callback) close.push(p.callback);
  const ending = close.join(" ");
  const reserved = words(ending).length + words(style.signOff ?? "").length;
  if (d.maxWords !== undefined) body = limitWords(body, Math.max(5, d.maxWords - reserved));
  return dress(body, ending, style);
}

/**
 * The answer to a prompt. `instructions` is what the prompt asks (its system messages and, for a text
 * prompt, its text); `user` is the last user turn, the material.
 */
export function scriptedReply(instructions: string, user: string, opts: { structured?: boolean } = {}): string {
  const d = directivesOf(`${instructions}\n${user}`);
  if (d.exact) return d.exact;
  // A structured call (a response format) is shaped by its schema, not wrapped again here.
  const style = { ...styleOf(`${instructions}\n${user}`), ...(opts.structured && { json: false }) };
  const s = sections(user);
  if (s.has("ticket") || s.has("knowledge base") || s.has("customer")) return supportReply(user, s, d, style);
  const document = s.get("document") ?? s.get("text") ?? lastParagraph(user);
  if (d.bullets || d.oneSentence || /\bsummar/i.test(instructions + user))
    return dress(summary(document, d), "", { ...style, bulletList: false });
  // Anything else (a playground experiment, say): it says what it is rather than make something up.
  const p = PHRASES[style.language];
  const question = limitWords(sentences(s.get("question") ?? s.get("message") ?? document)[0] ?? "", 16);
  const rest = document && !document.startsWith(question.replace(/\.$/, "")) ? ` ${document}` : "";
  let text = question
    ? `${style.tone ? `${greetingFor(style)} ` : ""}${p.asked}: "${question.replace(/\.$/, "")}". This answer comes from the built-in scripted model, which answers from the prompt's own text without calling a model.${rest}`
    : "";
  if (d.maxWords !== undefined) text = limitWords(text, d.maxWords);
  return dress(text || "I have nothing to answer: the prompt is empty.", d.nextStep ? p.nextStep : "", style);
}
