import Link from "next/link";
import { startChoices } from "@/components/editor/edit-base";
import { BasePicker, type BaseOption } from "./base-picker";

/**
 * The other starting points: what each environment serves and the newest version as links, and
 * any version in a picker. Every one asks first when the form holds unsaved work (useUnsavedChangesWarning).
 */
export function EditStartChoices({
  path,
  environments,
  versions,
  latest,
  current,
}: {
  /** The edit page's path, without a query. */
  path: string;
  environments: { name: string; serves: number | null }[];
  versions: BaseOption[];
  latest: number;
  current: number;
}) {
  const choices = startChoices(environments, latest, current);
  return (
    <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
      {choices.length ? (
        <nav
          aria-label="Start from another version"
          className="flex flex-wrap gap-x-3 gap-y-1"
          data-testid="edit-start-choices"
        >
          <span className="text-slate-600">Start from:</span>
          {choices.map((c) => (
            <Link key={c.key} href={`${path}?${c.query}`} className="text-indigo-700 hover:underline">
              {c.label}
            </Link>
          ))}
        </nav>
      ) : null}
      {versions.length > 1 ? <BasePicker path={path} current={current} latest={latest} versions={versions} /> : null}
    </div>
  );
}
