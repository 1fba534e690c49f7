"use client";

import { useState } from "react";
import { usePathname, useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";

const pad = (n: number) => String(n).padStart(2, "0");
const toLocalInput = (d: Date) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** "What was live at…": a local date and time, sent to the server as an exact instant. */
export function LiveAtPicker({ at, query }: { at?: string; query: Record<string, string> }) {
  const router = useRouter();
  const path = usePathname();
  const [value, setValue] = useState(() => (at ? toLocalInput(new Date(at)) : ""));
  function go(e: React.FormEvent) {
    e.preventDefault();
    const q = new URLSearchParams(query);
    if (value) q.set("at", new Date(value).toISOString());
    else q.delete("at");
    router.push(`${path}?${q.toString()}#live-at`, { scroll: false });
  }
  return (
    <form onSubmit={go} className="flex flex-wrap items-end gap-2">
      <div className="flex flex-col gap-1">
        <label htmlFor="live-at-input" className="text-xs font-medium text-slate-600">
          Date and time (your time zone)
        </label>
        <input
          id="live-at-input"
          type="datetime-local"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
        />
      </div>
      <Button type="submit" size="sm" variant="secondary">
        Show
      </Button>
    </form>
  );
}
