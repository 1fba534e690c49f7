import Link from "next/link";
import type { EditStart } from "@/lib/views/editor-overview";

/** Where the edit starts, in a sentence: "Starting from version 1, what production serves (the newest is version 3)." */
export function startSentence(version: number, start: EditStart, latest: number): string {
  const newest = version === latest ? "" : ` (the newest is version ${latest})`;
  if (start.kind === "served") return `Starting from version ${version}, what ${start.environment} serves${newest}.`;
  if (start.kind === "asked") return `Starting from version ${version}, as asked${newest}.`;
  return start.environment
    ? `Starting from version ${version}, the newest: ${start.environment} serves none yet.`
    : `Starting from version ${version}, the newest.`;
}

/** The other starting points: what each environment serves, and the newest version (issue 42). */
export function EditStartChoices({
  href,
  environments,
  latest,
  current,
}: {
  href: (query: string) => string;
  environments: { name: string; serves: number | null }[];
  latest: number;
  current: number;
}) {
  const choices = [
    ...environments
      .filter((e) => e.serves !== null)
      .map((e) => ({
        key: e.name,
        label: `what ${e.name} serves (v${e.serves})`,
        query: `env=${encodeURIComponent(e.name)}`,
        version: e.serves!,
      })),
    { key: "newest", label: `the newest (v${latest})`, query: `from=${latest}`, version: latest },
  ].filter((c) => c.version !== current);
  if (!choices.length) return null;
  return (
    <nav
      aria-label="Start from another version"
      className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-sm"
      data-testid="edit-start-choices"
    >
      <span className="text-slate-600">Start from:</span>
      {choices.map((c) => (
        <Link key={c.key} href={href(c.query)} className="text-indigo-700 hover:underline">
          {c.label}
        </Link>
      ))}
    </nav>
  );
}
