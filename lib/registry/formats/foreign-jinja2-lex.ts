// Jinja2's default syntax as far as Lectern converts it: `{{ expression }}`, `{% statement %}`, `{# comment #}`
// with whitespace control (`{%-`, `-%}`: the whitespace before or after is removed, newlines included), read
// in one pass linear in the text. The default environment is assumed (no trim_blocks, no lstrip_blocks, no
// line statements), as PromptLayer's client configures nunjucks and Jinja2 starts.
import { refuse } from "./ir";
import { spendTag, type TagBudget } from "./foreign-mustache";

export type JToken =
  | { k: "text"; s: string }
  | { k: "print"; expr: string; at: number }
  | { k: "block"; words: string[]; inner: string; at: number }
  | { k: "comment"; s: string };

const closers = { "{": "}}", "%": "%}", "#": "#}" } as const;
const opener = /\{[{%#]/g;

// Jinja2's \s: what "-" removes. Whitespace of other alphabets is refused rather than guessed.
const trimEnd = (s: string) => s.replace(/[ \t\n\r\f\v]+$/, "");
const trimStart = (s: string) => s.replace(/^[ \t\n\r\f\v]+/, "");

// Python's and JavaScript's \s differ beyond ASCII: a removal that stops at such a character is refused.
function stripped(kept: string, at: number, end: "start" | "end"): string {
  if ((end === "start" ? /^\s/ : /\s$/).test(kept))
    refuse("whitespace", `whitespace control at character ${at} meets whitespace the engines do not agree on`);
  return kept;
}

/** The tokens of a Jinja2 template, whitespace control applied to the text around them. */
export function lexJinja2(text: string, budget: TagBudget): JToken[] {
  const out: JToken[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    opener.lastIndex = pos;
    const m = opener.exec(text);
    let chunk = text.slice(pos, m ? m.index : text.length);
    if (trimNext) chunk = stripped(trimStart(chunk), pos, "start");
    if (!m) {
      if (chunk) out.push({ k: "text", s: chunk });
      return out;
    }
    spendTag(budget);
    const kind = m[0][1] as keyof typeof closers;
    const close = text.indexOf(closers[kind], m.index + 2);
    if (close < 0)
      refuse("syntax", `the tag opened with "${m[0]}" at character ${m.index} is never closed with "${closers[kind]}"`);
    let inner = text.slice(m.index + 2, close);
    if (inner.startsWith("+") || inner.endsWith("+"))
      refuse("whitespace-control", `"+" at character ${m.index} keeps whitespace lstrip_blocks would remove`);
    if (inner.startsWith("-")) {
      inner = inner.slice(1);
      chunk = stripped(trimEnd(chunk), m.index, "end");
    }
    trimNext = inner.endsWith("-");
    if (trimNext) inner = inner.slice(0, -1);
    if (chunk) out.push({ k: "text", s: chunk });
    if (kind === "#") out.push({ k: "comment", s: inner });
    else if (kind === "{") out.push({ k: "print", expr: inner.trim(), at: m.index });
    else out.push({ k: "block", words: inner.trim().split(/\s+/), inner: inner.trim(), at: m.index });
    pos = close + 2;
  }
}
