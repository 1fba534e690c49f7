// Small text tools the scripted model answers with. Pure and deterministic: the same text always gives
// the same answer (a hash of it stands in for a real model's sampling).
import { fnv1a32 } from "../../stats";

/** MurmurHash3's finaliser: FNV-1a alone mixes short, similar texts poorly (its low bit is a parity). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, n) drawn from the text: the scripted model's "sampling". */
export const pick = (text: string, n: number) => Math.floor((mix(fnv1a32(text)) / 2 ** 32) * n);

export const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** The first `n` words, ending the cut text with a full stop. */
export function limitWords(text: string, n: number): string {
  const w = words(text);
  if (w.length <= n) return text;
  return `${w
    .slice(0, n)
    .join(" ")
    .replace(/[,;:.!?]*$/, "")}.`;
}

/** Sentences of a text, without their final punctuation's trailing space. */
export const sentences = (text: string) =>
  text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * What a faithful answer keeps from its material: numbers and capitalised names (not the capitalised first
 * word of a sentence, which is only grammar). Lower-cased, for comparison.
 */
export function facts(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\d+(?:[.,]\d+)*/g)) out.add(m[0]);
  for (const s of sentences(text)) {
    const w = s.split(/[^\p{L}\p{N}'’-]+/u).filter(Boolean);
    w.forEach((x, i) => {
      if (i > 0 && /^\p{Lu}\p{Ll}+/u.test(x) && x.length > 1) out.add(x.toLowerCase());
    });
  }
  return [...out];
}

/** Share of `material`'s facts found in `answer` (1 when the material has none). */
export function factShare(material: string, answer: string): { found: number; total: number; share: number } {
  const all = facts(material);
  const lower = answer.toLowerCase();
  const found = all.filter((f) => lower.includes(f)).length;
  return { found, total: all.length, share: all.length ? found / all.length : 1 };
}

/**
 * The labelled parts of a message: "Label: value" on one line, or "Label:" followed by lines up to a blank
 * line. Keys are lower-cased labels ("customer", "ticket", "knowledge base").
 */
export function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*([A-Za-z][A-Za-z _-]{0,40}):\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const label = m[1]!.trim().toLowerCase();
    if (m[2]!.trim()) {
      out.set(label, m[2]!.trim());
      continue;
    }
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j]!.trim(); j++) body.push(lines[j]!.trim());
    if (body.length) out.set(label, body.join("\n"));
  }
  return out;
}

/** The text between `<tag>` and `</tag>` (as lib/scorers/judge.ts fences material), or "". */
export function fenced(text: string, tag: string): string {
  const open = `<${tag}>\n`;
  const from = text.indexOf(open);
  if (from < 0) return "";
  const to = text.indexOf(`\n</${tag}>`, from + open.length);
  return text.slice(from + open.length, to < 0 ? undefined : to);
}
