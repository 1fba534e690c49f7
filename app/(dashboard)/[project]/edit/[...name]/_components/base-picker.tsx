"use client";

import { baseLabel } from "@/components/editor/edit-base";
import { useGuardedRouter } from "@/components/editor/unsaved-changes";

export type BaseOption = { version: number; commitMessage: string; servedIn: string[] };

/**
 * Any version as the edit's starting point (?version=N): the page loads that version's whole content into the
 * form. Unsaved work is asked about first; kept, the picker stays on the version the form holds.
 */
export function BasePicker({
  path,
  current,
  latest,
  versions,
}: {
  path: string;
  current: number;
  latest: number;
  versions: BaseOption[];
}) {
  const router = useGuardedRouter();
  return (
    <label className="flex min-w-0 max-w-full items-center gap-2 text-slate-700">
      <span className="shrink-0">Start from version</span>
      <select
        className="min-w-0 max-w-[14rem] flex-1 truncate rounded-md border border-slate-300 bg-white px-2 py-1 text-sm sm:max-w-xs"
        value={current}
        onChange={(e) => router.push(`${path}?version=${e.target.value}`)}
        data-testid="edit-base-picker"
      >
        {versions.map((v) => (
          <option key={v.version} value={v.version} title={v.commitMessage || undefined}>
            {baseLabel(v, latest)}
          </option>
        ))}
      </select>
    </label>
  );
}
