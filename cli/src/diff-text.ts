// A ContentDiff (the server's structured diff) as the lines a terminal or a CI log shows.
import type { ContentDiff } from "../../lib/registry/changes/diff";
import type { Output } from "./output";

const context = 2;

function lines(text: string): string[] {
  const l = text.split("\n");
  if (l.length > 1 && l[l.length - 1] === "") l.pop();
  return l;
}

/** The changed pieces line by line (two lines of context), then variables, config and examples in words. */
export function diffLines(
  diff: ContentDiff,
  out: Pick<Output, "red" | "green" | "dim" | "bold">,
  indent = "  ",
): string[] {
  const result: string[] = [];
  for (const p of diff.pieces) {
    if (p.status === "unchanged") continue;
    const roles =
      p.roles && p.roles.before !== p.roles.after && p.roles.before && p.roles.after
        ? ` (role ${p.roles.before} → ${p.roles.after})`
        : "";
    result.push(`${indent}${out.bold(`@@ ${p.key}`)} ${p.status}${roles}`);
    p.hunks.forEach((h, i) => {
      const ls = lines(h.text);
      if (h.type === "add") for (const l of ls) result.push(`${indent}${out.green(`+ ${l}`)}`);
      else if (h.type === "del") for (const l of ls) result.push(`${indent}${out.red(`- ${l}`)}`);
      else {
        const head = i === 0 ? [] : ls.slice(0, context);
        const tail = i === p.hunks.length - 1 ? [] : ls.slice(Math.max(head.length, ls.length - context));
        const skipped = ls.length - head.length - tail.length;
        for (const l of head) result.push(`${indent}  ${l}`);
        if (skipped > 0) result.push(`${indent}${out.dim(`  … ${skipped} unchanged line${skipped > 1 ? "s" : ""}`)}`);
        for (const l of tail) result.push(`${indent}  ${l}`);
      }
    });
  }
  const words = diff.summary.filter((s) => !/^(template|message \d+)/.test(s));
  for (const s of words) result.push(`${indent}${s}`);
  return result;
}

export const isEmptyDiff = (d: ContentDiff) => d.summary.length === 0;
