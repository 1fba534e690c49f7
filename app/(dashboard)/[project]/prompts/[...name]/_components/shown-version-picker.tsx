"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/**
 * The prompt page's URL with another version in view (?version=N; a ?show= from older links is dropped). The
 * prompt card, the Playground and "Edit prompt" all follow it, so switching it in one switches it in all.
 */
export function useVersionInView(hash: string) {
  const router = useRouter();
  const path = usePathname();
  const params = useSearchParams();
  return (version: number) => {
    const q = new URLSearchParams(params.toString());
    q.delete("show");
    q.set("version", String(version));
    router.replace(`${path}?${q.toString()}${hash}`, { scroll: false });
  };
}

/** Which version the "Prompt" card shows (the version in view); kept in the URL so the view can be shared. */
export function ShownVersionPicker({
  versions,
  shown,
}: {
  versions: { version: number; label: string }[];
  shown: number;
}) {
  const show = useVersionInView("#prompt");
  return (
    <label className="flex min-w-0 max-w-full items-center gap-2 text-sm text-slate-700">
      <span className="shrink-0">Show version</span>
      {/* A long label ("v1 · live in development, staging, production") is cut on a phone instead of widening the page:
          a width in rem bounds what the select asks of its row (a percentage would not). */}
      <select
        className="min-w-0 max-w-[12rem] flex-1 truncate sm:max-w-xs rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        value={shown}
        onChange={(e) => show(Number(e.target.value))}
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
