"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/** Which version the "Prompt" card shows; kept in the URL (?show=N) so the view can be shared. */
export function ShownVersionPicker({
  versions,
  shown,
}: {
  versions: { version: number; label: string }[];
  shown: number;
}) {
  const router = useRouter();
  const path = usePathname();
  const params = useSearchParams();
  return (
    <label className="flex min-w-0 max-w-full items-center gap-2 text-sm text-slate-700">
      <span className="shrink-0">Show version</span>
      {/* A long label ("v1 · live in development, staging, production") is cut on a phone instead of widening the page:
          a width in rem bounds what the select asks of its row (a percentage would not). */}
      <select
        className="min-w-0 max-w-[12rem] flex-1 truncate sm:max-w-xs rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        value={shown}
        onChange={(e) => {
          const q = new URLSearchParams(params.toString());
          q.set("show", e.target.value);
          router.replace(`${path}?${q.toString()}#prompt`, { scroll: false });
        }}
      >
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            {v.label}
          </option>
        ))}
      </select>
    </label>
  );
}
