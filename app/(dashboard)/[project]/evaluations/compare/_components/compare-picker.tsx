"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";

export type RunChoice = { id: string; label: string; dataset: string; datasetVersion: number; datasetName: string };

const itemsOf = (r: RunChoice) => `${r.dataset}@${r.datasetVersion}`;

/**
 * Two completed runs to compare. Runs are grouped by dataset version, and once one side is chosen the
 * other offers only runs on the same items: a comparison pairs the two runs item by item.
 */
export function ComparePicker({ runs, a, b }: { runs: RunChoice[]; a: string; b: string }) {
  const [chosen, setChosen] = useState({ a, b });
  const groups = [...new Map(runs.map((r) => [itemsOf(r), r])).values()].map((first) => ({
    key: itemsOf(first),
    label: `${first.datasetName}, version ${first.datasetVersion}`,
    runs: runs.filter((r) => itemsOf(r) === itemsOf(first)),
  }));
  const byId = new Map(runs.map((r) => [r.id, r]));
  const side = (s: "a" | "b") => {
    const other = byId.get(chosen[s === "a" ? "b" : "a"]);
    const shown = other ? groups.filter((g) => g.key === itemsOf(other)) : groups;
    return (
      <Select
        key={s}
        label={s === "a" ? "A (before)" : "B (after)"}
        id={`cmp-${s}`}
        name={s}
        value={chosen[s]}
        onChange={(e) => setChosen({ ...chosen, [s]: e.target.value })}
        hint={other ? `Runs on ${other.datasetName}, version ${other.datasetVersion}, like the other side.` : undefined}
      >
        <option value="">Choose a completed run</option>
        {shown.map((g) => (
          <optgroup key={g.key} label={g.label}>
            {g.runs
              .filter((r) => r.id !== chosen[s === "a" ? "b" : "a"])
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
          </optgroup>
        ))}
      </Select>
    );
  };
  return (
    <form method="get" className="flex flex-col gap-3" aria-label="Choose two runs">
      <p className="max-w-prose text-sm text-slate-600">
        Both runs must be on the same dataset version, so that each item is compared with itself. Choose one run and the
        other list shows only runs on the same items.
      </p>
      <div className="grid gap-3 md:grid-cols-[1fr_1fr_auto] md:items-start">
        {side("a")}
        {side("b")}
        <div className="md:pt-6">
          <Button type="submit" disabled={!chosen.a || !chosen.b}>
            Compare
          </Button>
        </div>
      </div>
    </form>
  );
}
