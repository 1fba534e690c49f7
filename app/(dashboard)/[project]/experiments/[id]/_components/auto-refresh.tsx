"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";

const EVERY_MS = 10_000;

/** Re-reads the results every few seconds while an experiment runs, so the dashboard fills as events arrive. */
export function AutoRefresh() {
  const router = useRouter();
  const [on, setOn] = useState(true);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, EVERY_MS);
    return () => clearInterval(t);
  }, [on, router]);
  return (
    <label className="flex items-center gap-2 text-xs text-slate-600">
      <input type="checkbox" className="size-3.5" checked={on} onChange={(e) => setOn(e.target.checked)} />
      Refresh every {EVERY_MS / 1000} s
    </label>
  );
}
