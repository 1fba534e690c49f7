"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { Checkbox } from "@/components/forms/checkbox";

const every = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);

/**
 * Re-reads the results every few seconds while an experiment runs, so the dashboard fills as events arrive; the
 * read model says how often (less often when the results are costly to compute).
 */
export function AutoRefresh({ everyMs }: { everyMs: number }) {
  const router = useRouter();
  const [on, setOn] = useState(true);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, everyMs);
    return () => clearInterval(t);
  }, [on, router, everyMs]);
  return (
    <Checkbox
      className="flex items-center gap-2 text-xs text-slate-600"
      boxClassName="size-3.5"
      checked={on}
      onCheck={setOn}
    >
      Refresh every {every(everyMs)}
    </Checkbox>
  );
}
