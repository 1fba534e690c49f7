"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";

/** Picks the two versions to compare; the choice lives in the URL so it can be shared. */
export function VersionPicker({
  base,
  versions,
  from,
  to,
}: {
  base: string;
  versions: { version: number; label: string }[];
  from: number;
  to: number;
}) {
  const router = useRouter();
  const go = (f: number, t: number) => router.push(`${base}?from=${f}&to=${t}`);
  const options = versions.map((v) => ({ value: String(v.version), label: v.label }));
  return (
    <div className="flex flex-wrap items-end gap-3">
      <Select label="From" id="diff-from" value={from} onValue={(v) => go(Number(v), to)} options={options} />
      <Button type="button" variant="ghost" onClick={() => go(to, from)} aria-label="Swap the two versions">
        ⇄ Swap
      </Button>
      <Select label="To" id="diff-to" value={to} onValue={(v) => go(from, Number(v))} options={options} />
    </div>
  );
}
