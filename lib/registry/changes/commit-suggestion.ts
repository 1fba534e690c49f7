// A commit message suggested from what changed, offered when someone saves a version without one:
// "Edit system message; add variable `tone`". Short and imperative, like a commit subject. Pure.
import { isPlaceholder, type ChatEntry, type Content } from "../content";
import { deepEqual } from "../json";
import { diffContent } from "./diff";

const entryLabel = (m: ChatEntry) => (isPlaceholder(m) ? `placeholder \`${m.name}\`` : `${m.role} message`);

/** `after` is `before` with exactly one entry taken out: its index, else -1. */
function removedAt(before: ChatEntry[], after: ChatEntry[]): number {
  if (after.length !== before.length - 1) return -1;
  const i = before.findIndex((m, j) => !deepEqual(m, after[j]));
  const at = i < 0 ? before.length - 1 : i;
  return deepEqual([...before.slice(0, at), ...before.slice(at + 1)], after) ? at : -1;
}

const sameEntries = (a: ChatEntry[], b: ChatEntry[]) => {
  const key = (l: ChatEntry[]) => l.map((m) => JSON.stringify(m)).sort();
  return deepEqual(key(a), key(b));
};

/**
 * Messages of a chat prompt: a single removal, insertion or reordering is named as such (the diff
 * pairs messages by position, which would show it as every later message "changed").
 */
function messageParts(before: ChatEntry[], after: ChatEntry[]): string[] | null {
  const removed = removedAt(before, after);
  if (removed >= 0) return [`remove ${entryLabel(before[removed]!)}`];
  const added = removedAt(after, before);
  if (added >= 0) return [`add ${entryLabel(after[added]!)}`];
  if (before.length === after.length && !deepEqual(before, after) && sameEntries(before, after))
    return ["reorder messages"];
  return null;
}

// "edit user message" twice reads "edit 2 user messages".
function countSame(parts: string[]): string[] {
  const counts = new Map<string, number>();
  for (const p of parts) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts].map(([p, n]) => (n === 1 ? p : p.replace(/^(\w+) (.*) message$/, `$1 ${n} $2 messages`)));
}

/** A suggested commit message for going from `before` to `after`; "" when nothing changed. */
export function suggestCommitMessage(before: Content | null, after: Content): string {
  const d = diffContent(before, after);
  const parts: string[] = [];
  if (!before) parts.push(after.type === "skill" ? "create skill" : `create ${after.type} prompt`);
  else if (d.typeChanged) parts.push(`turn into a ${after.type} prompt`);
  else if (after.type === "skill") {
    // Per file: "edit references/guide.md; add scripts/run.py".
    const verb = { added: "add", removed: "remove", changed: "edit", unchanged: "" } as const;
    for (const p of d.pieces) if (p.status !== "unchanged") parts.push(`${verb[p.status]} ${p.file ?? p.key}`);
  } else if (before.type === "chat" && after.type === "chat") {
    const special = messageParts(before.template, after.template);
    if (special) parts.push(...special);
    else {
      const pieces: string[] = [];
      for (const p of d.pieces) {
        const role = p.roles?.after ?? p.roles?.before;
        const label = p.key.endsWith("(placeholder)") ? "placeholder message" : `${role} message`;
        if (p.status === "added") pieces.push(`add ${label}`);
        else if (p.status === "removed") pieces.push(`remove ${label}`);
        else if (p.status === "changed") {
          const roleChanged = p.roles?.before !== p.roles?.after;
          pieces.push(
            roleChanged && p.before === p.after ? `make ${p.roles?.before} message ${role}` : `edit ${label}`,
          );
        }
      }
      parts.push(...countSame(pieces));
    }
  } else if (d.pieces.some((p) => p.status !== "unchanged")) parts.push("edit template");

  if (before) {
    for (const v of d.variables) {
      const verb = v.change === "added" ? "add" : v.change === "removed" ? "remove" : "change";
      parts.push(`${verb} variable \`${v.name}\``);
    }
  }
  const settings = [...new Set(d.config.map((c) => c.path.split(".")[0]!))];
  if (before && settings.length === 1 && d.config.length === 1 && d.config[0]!.after !== undefined) {
    const c = d.config[0]!;
    const value = typeof c.after === "string" || typeof c.after === "number" ? ` to ${String(c.after)}` : "";
    parts.push(`set ${c.path}${value}`);
  } else if (before && settings.length) parts.push(`change ${settings.join(", ")}`);
  if (before && !deepEqual(before.examples, after.examples)) parts.push("edit examples");

  const text = parts.join("; ");
  return text ? text[0]!.toUpperCase() + text.slice(1) : "";
}
