// A template split into plain text and Mustache tags, for showing a prompt read-only with its
// variables, sections and partials marked. Works on any text (an unclosed tag stays plain text). Pure.

export type Segment =
  { kind: "text"; text: string } | { kind: "variable" | "section" | "partial" | "comment"; text: string; name: string };

// {{{x}}}, then {{!…}}, then {{ [#^/&>]? name }}; names may contain anything but braces.
const tag = /\{\{\{\s*([^}]*?)\s*\}\}\}|\{\{!([\s\S]*?)\}\}|\{\{\s*([#^/&>]?)\s*([^{}]*?)\s*\}\}/g;

export function highlightTemplate(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of text.matchAll(tag)) {
    if (m.index > at) out.push({ kind: "text", text: text.slice(at, m.index) });
    const [whole, triple, comment, sigil, name] = m;
    if (triple !== undefined) out.push({ kind: "variable", text: whole, name: triple });
    else if (comment !== undefined) out.push({ kind: "comment", text: whole, name: comment.trim() });
    else if (sigil === ">") out.push({ kind: "partial", text: whole, name: name ?? "" });
    else if (sigil === "#" || sigil === "^" || sigil === "/")
      out.push({ kind: "section", text: whole, name: name ?? "" });
    else out.push({ kind: "variable", text: whole, name: name ?? "" });
    at = m.index + whole.length;
  }
  if (at < text.length) out.push({ kind: "text", text: text.slice(at) });
  return out;
}
