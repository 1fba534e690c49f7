// What was served is a composition: the prompt's version and the version of every partial it included,
// transitively (docs/decisions/compositions.md). Resolve answers it, events and experiment phases record it, so a
// result can be attributed to the text that produced it and not only to the prompt's own version number.
import { z } from "zod";
import { refPromptName } from "./templates/partial-refs";

export type Composition = {
  prompt: { name: string; version: number };
  /** Each partial included (directly or through another partial), by name and version, sorted by name. */
  partials: { name: string; version: number }[];
};

const versioned = z.object({ name: z.string(), version: z.number().int() });
export const compositionSchema = z.object({ prompt: versioned, partials: z.array(versioned) });

/**
 * The composition of a prompt version from the partials it included (reference → version, as resolve and
 * the render path hold them). References to one prompt under several labels or pins that landed on one
 * version count once; on different versions, each is listed.
 */
export function compositionOf(
  prompt: { name: string; version: number },
  partials: Record<string, { version: number }>,
): Composition {
  const seen = new Map<string, { name: string; version: number }>();
  for (const [ref, p] of Object.entries(partials)) {
    const name = refPromptName(ref);
    seen.set(`${name}\u0000${p.version}`, { name, version: p.version });
  }
  const list = [...seen.values()].sort((a, b) =>
    a.name === b.name ? a.version - b.version : a.name < b.name ? -1 : 1,
  );
  return { prompt: { name: prompt.name, version: prompt.version }, partials: list };
}

/**
 * The partials of a composition as one text, `name@version` joined by commas ("" when there are none): what
 * events, samples and phases store, and what two compositions of one prompt version are compared by.
 */
export function partialsKey(partials: { name: string; version: number }[]): string {
  return [...partials]
    .sort((a, b) => (a.name === b.name ? a.version - b.version : a.name < b.name ? -1 : 1))
    .map((p) => `${p.name}@${p.version}`)
    .join(",");
}

/** The readable form: "support-reply v3 with shared/tone v2" ("support-reply v3" with no partials). */
export function describeComposition(c: Composition): string {
  const head = `${c.prompt.name} v${c.prompt.version}`;
  return c.partials.length ? `${head} with ${c.partials.map((p) => `${p.name} v${p.version}`).join(", ")}` : head;
}

/** Parses `partialsKey` text back (an event's or span's `partials`); undefined when it is not that form. */
export function parsePartialsKey(key: string): { name: string; version: number }[] | undefined {
  if (key === "") return [];
  const out: { name: string; version: number }[] = [];
  for (const part of key.split(",")) {
    const at = part.lastIndexOf("@");
    const version = Number(part.slice(at + 1));
    if (at <= 0 || !Number.isInteger(version) || version < 1) return undefined;
    out.push({ name: part.slice(0, at), version });
  }
  return out;
}
