// The events an experiment counted apart (docs/decisions/unattributed-events.md: they named an arm the server did not
// serve their subject, or came outside the phase's window), as results show them: totals by reason and arm, and one
// line in words. Pure: analysis/results.ts reads the rows (experiment_unattributed), the page prints the line.
import type { z } from "zod";
import type { unattributedContract } from "../stats/contracts";
import { unattributedReasons, type UnattributedReason } from "./served-claims";

export type UnattributedSummary = z.infer<typeof unattributedContract>;

type Row = { reason: string; variantKey: string; servedKey: string; events: number | bigint };

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** Totals by reason and arms (phases added up), and the line; `variants` in order, the control first. */
export function unattributedSummary(rows: readonly Row[], variants: readonly string[] = []): UnattributedSummary {
  const groups = new Map<string, UnattributedSummary["groups"][number]>();
  for (const r of rows) {
    const served = r.servedKey === "" ? null : r.servedKey;
    const key = `${r.reason}|${r.variantKey}|${served ?? ""}`;
    const g = groups.get(key) ?? {
      reason: r.reason as UnattributedReason,
      variant: r.variantKey,
      served,
      events: 0,
    };
    g.events += Number(r.events);
    groups.set(key, g);
  }
  const position = (k: string | null) => (k === null ? -1 : variants.indexOf(k));
  const list = [...groups.values()].sort(
    (a, b) =>
      unattributedReasons.indexOf(a.reason) - unattributedReasons.indexOf(b.reason) ||
      position(a.served) - position(b.served) ||
      position(a.variant) - position(b.variant),
  );
  const events = list.reduce((n, g) => n + g.events, 0);
  return { events, groups: list, line: events ? unattributedLine(list, variants) : null };
}

/** "12 events unattributed: 10 from subjects served A (the control), 2 after it stopped". */
export function unattributedLine(groups: UnattributedSummary["groups"], variants: readonly string[] = []): string {
  const parts = new Map<string, number>();
  const phrase = (g: UnattributedSummary["groups"][number]) => {
    switch (g.reason) {
      case "other_arm":
        return `from subjects served ${g.served}${g.served === variants[0] ? " (the control)" : ""}`;
      case "never_exposed":
        return "from subjects the experiment never served (outside its coverage or share, or never assigned)";
      case "before_start":
        return "dated before their phase began";
      case "after_stop":
        return "after it stopped";
    }
  };
  for (const g of groups) parts.set(phrase(g), (parts.get(phrase(g)) ?? 0) + g.events);
  const total = groups.reduce((n, g) => n + g.events, 0);
  return `${count(total, "event")} unattributed: ${[...parts].map(([p, n]) => `${n.toLocaleString("en-US")} ${p}`).join(", ")}`;
}
