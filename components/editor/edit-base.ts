// The edit page's starting points, in words (docs/decisions/version-in-view.md): where the edit starts, the other
// versions it could start from, and what saving makes of it. Pure, so the page, the picker and the tests share one
// wording.
import type { EditStart } from "@/lib/views/editor-overview";

/** Where the edit starts, in a sentence: "Starting from version 2, what staging serves (the newest is version 3)." */
export function startSentence(version: number, start: EditStart, latest: number): string {
  const newest = version === latest ? "" : ` (the newest is version ${latest})`;
  if (start.kind === "served") return `Starting from version ${version}, what ${start.environment} serves${newest}.`;
  if (start.kind === "asked")
    return `Starting from version ${version}${version === latest ? ", the newest" : ""}${newest}.`;
  return start.environment
    ? `Starting from version ${version}, the newest: ${start.environment} serves none yet.`
    : `Starting from version ${version}, the newest.`;
}

export type StartChoice = { key: string; label: string; query: string; version: number };

/**
 * The other starting points as links: what each environment serves (?env=, so that the heading can say so),
 * and the newest version (?version=); none for the version the form holds.
 */
export function startChoices(
  environments: { name: string; serves: number | null }[],
  latest: number,
  current: number,
): StartChoice[] {
  return [
    ...environments.flatMap((e) =>
      e.serves === null
        ? []
        : [
            {
              key: e.name,
              label: `what ${e.name} serves (v${e.serves})`,
              query: `env=${encodeURIComponent(e.name)}`,
              version: e.serves,
            },
          ],
    ),
    { key: "newest", label: `the newest (v${latest})`, query: `version=${latest}`, version: latest },
  ].filter((c) => c.version !== current);
}

/** A version as the base picker lists it: "v3 · the newest", "v1 · production serves it". */
export function baseLabel(v: { version: number; servedIn: string[] }, latest: number): string {
  const notes = [
    ...(v.version === latest ? ["the newest"] : []),
    ...(v.servedIn.length ? [`${v.servedIn.join(", ")} ${v.servedIn.length === 1 ? "serves" : "serve"} it`] : []),
  ];
  return [`v${v.version}`, ...notes].join(" · ");
}

/** The notice above a form that holds an older version: what saving makes of it, and what stays. */
export function olderBaseNotice(from: number, latest: number): string | null {
  if (from >= latest) return null;
  const kept = from + 1 === latest ? `version ${latest} stays` : `versions ${from + 1}–${latest} stay`;
  return `You are editing a copy of version ${from}. Saving creates version ${latest + 1} from it, with its changes shown against version ${from}; ${kept} in the history.`;
}
