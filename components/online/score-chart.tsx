"use client";

import { useState } from "react";
import { Legend, Tooltip } from "recharts";
import type { SeriesPoint } from "@/lib/evaluation/online/series";
import { fullTime } from "@/components/charts/chart-utils";
import { TimeChart } from "@/components/charts/time-chart";
import { ChartTable } from "@/components/charts/chart-table";
import { Time } from "@/components/ui/time";
import { Select } from "@/components/ui/select";
import { intervalLine } from "@/components/charts/interval-line";

/**
 * Mean score per version over time, one series per version, for the weighted score or one scorer. Each hour
 * (or day) is a point with its 95% interval as an error bar, joined by straight segments: a mean of one
 * output is one point with a wide bar, not a smooth curve through it.
 */
export function ScoreChart({ points, bucket }: { points: SeriesPoint[]; bucket: "hour" | "day" }) {
  const scorers = [...new Set(points.map((p) => p.scorer))].sort((a, b) =>
    a === "score" ? -1 : b === "score" ? 1 : a.localeCompare(b),
  );
  const [scorer, setScorer] = useState("score");
  if (!points.length)
    return (
      <p className="py-10 text-center text-sm text-slate-600">
        No scored outputs yet. Scores appear here once sampled outputs have been judged (every minute).
      </p>
    );
  const shown = points.filter((p) => p.scorer === scorer);
  const versions = [...new Set(shown.map((p) => p.version))].sort((a, b) => a - b);
  const byTime = new Map<number, Record<string, number | [number, number]>>();
  const pct = (x: number) => Math.round(x * 1000) / 10;
  for (const p of shown) {
    const t = Date.parse(p.at);
    const row = byTime.get(t) ?? { t };
    const mean = pct(p.mean);
    row[`v${p.version}`] = mean;
    row[`n${p.version}`] = p.n;
    if (p.ci) {
      row[`ci${p.version}`] = [pct(p.ci[0]), pct(p.ci[1])];
      row[`err${p.version}`] = [Math.max(0, mean - pct(p.ci[0])), Math.max(0, pct(p.ci[1]) - mean)];
    }
    byTime.set(t, row);
  }
  const rows = [...byTime.values()].sort((a, b) => (a.t as number) - (b.t as number));
  const span = rows.length > 1 ? (rows.at(-1)!.t as number) - (rows[0]!.t as number) : 0;
  return (
    <figure className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <Select
          label="Metric"
          id="score-chart-metric"
          value={scorer}
          onValue={setScorer}
          options={scorers.map((s) => ({ value: s, label: s === "score" ? "Weighted score (all scorers)" : s }))}
        />
        <p className="pb-2 text-xs text-slate-600">
          Mean per {bucket}, 0–100%, with its 95% interval. Each series is a version; the tooltip gives each
          point&apos;s mean, interval and how many outputs it averages.
        </p>
      </div>
      <TimeChart className="h-[260px]" height={260} rows={rows} span={span} percent>
        <Tooltip
          labelFormatter={(v) => fullTime(Number(v))}
          formatter={(v, key, item) => {
            const version = String(key).slice(1);
            const row = item?.payload as Record<string, number | [number, number]> | undefined;
            const n = row?.[`n${version}`] as number | undefined;
            const ci = row?.[`ci${version}`] as [number, number] | undefined;
            return [
              `${String(v)}%${ci ? ` [${ci[0]}, ${ci[1]}]` : ""}${n ? ` (${n} output${n === 1 ? "" : "s"})` : ""}`,
              `v${version}`,
            ];
          }}
        />
        <Legend />
        {versions.map((v, i) => intervalLine({ dataKey: `v${v}`, name: `v${v}`, errorKey: `err${v}`, index: i }))}
      </TimeChart>
      <figcaption className="sr-only">
        {scorer} per version over time; the table view gives each point&apos;s mean and count.
      </figcaption>
      <ChartTable
        caption={`Mean ${scorer === "score" ? "weighted score" : scorer} per version and ${bucket}`}
        head={[
          `${bucket === "hour" ? "Hour" : "Day"} from`,
          ...versions.map((v) => `v${v} mean [95% interval] (outputs)`),
        ]}
        rows={rows.map((r) => ({
          key: String(r.t),
          cells: [
            <Time key="t" value={new Date(r.t as number)} />,
            ...versions.map((v) => {
              if (r[`v${v}`] === undefined) return "—";
              const ci = r[`ci${v}`] as [number, number] | undefined;
              return `${String(r[`v${v}`])}%${ci ? ` [${ci[0]}, ${ci[1]}]` : ""} (${String(r[`n${v}`])})`;
            }),
          ],
        }))}
      />
    </figure>
  );
}
