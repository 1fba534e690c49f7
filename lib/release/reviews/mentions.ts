// @mentions in comments (pure; the comment form renders with it too): which handles a text mentions,
// and which members they are.

export type Mention = { id: string; email: string; name: string };

// `@` not preceded by a word character (so "ann@example.com" in prose is not a mention), then an
// e-mail address or its local part.
const MENTION = /(?<![\w.+-])@([a-z0-9._%+-]+(?:@[a-z0-9-]+(?:\.[a-z0-9-]+)+)?)/gi;

/** The handles a text mentions, lower-cased, each once, in order (trailing dots are punctuation). */
export function mentionHandles(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(MENTION)) {
    const handle = m[1]!.replace(/\.+$/, "").toLowerCase();
    if (handle && !out.includes(handle)) out.push(handle);
  }
  return out;
}

/** Resolves handles against the members: an exact address, else a local part only one member has. */
export function resolveMentions(
  handles: string[],
  members: { userId: string; email: string; name: string }[],
): { mentions: Mention[]; unknown: string[]; ambiguous: string[] } {
  const mentions: Mention[] = [];
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  for (const h of handles) {
    const exact = members.filter((m) => m.email.toLowerCase() === h);
    const local = h.includes("@") ? [] : members.filter((m) => m.email.toLowerCase().split("@")[0] === h);
    const found = exact.length ? exact : local;
    if (found.length === 1) {
      const m = found[0]!;
      if (!mentions.some((x) => x.id === m.userId)) mentions.push({ id: m.userId, email: m.email, name: m.name });
    } else (found.length ? ambiguous : unknown).push(h);
  }
  return { mentions, unknown, ambiguous };
}

/** A comment's text as runs of plain text and mentions of the given members (for display). */
export function mentionRuns(
  body: string,
  mentions: Mention[],
): ({ text: string } | { mention: Mention; text: string })[] {
  const runs: ({ text: string } | { mention: Mention; text: string })[] = [];
  let last = 0;
  for (const m of body.matchAll(MENTION)) {
    const handle = m[1]!.replace(/\.+$/, "");
    const who = mentions.find(
      (x) =>
        x.email.toLowerCase() === handle.toLowerCase() || x.email.toLowerCase().split("@")[0] === handle.toLowerCase(),
    );
    if (!who) continue;
    if (m.index! > last) runs.push({ text: body.slice(last, m.index) });
    runs.push({ mention: who, text: `@${handle}` });
    last = m.index! + 1 + handle.length;
  }
  if (last < body.length) runs.push({ text: body.slice(last) });
  return runs;
}
