"use client";

import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { SeriesPoint } from "@/lib/evaluation/online/series";
import { fullTime, seriesColors, timeTick } from "@/components/charts/chart-utils";
import { ChartTable } from "@/components/charts/chart-table";
import { useIsClient } from "@/components/charts/use-client";
import { Time } from "@/components/ui/time";
import { Select } from "@/components/ui/select";

/** Mean score per version over time, one line per version, for the weighted score or one scorer. */
export function ScoreChart({ points, bucket }: { points: SeriesPoint[]; bucket: "hour" | "day" }) {
  const client = useIsClient();
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
  const byTime = new Map<number, Record<string, number>>();
  for (const p of shown) {
    const t = Date.parse(p.at);
    const row = byTime.get(t) ?? { t };
    row[`v${p.version}`] = Math.round(p.mean * 1000) / 10;
    row[`n${p.version}`] = p.n;
    byTime.set(t, row);
  }
  const rows = [...byTime.values()].sort((a, b) => a.t! - b.t!);
  const span = rows.length > 1 ? rows.at(-1)!.t! - rows[0]!.t! : 0;
  return (
    <figure className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <Select label="Metric" id="score-chart-metric" value={scorer} onChange={(e) => setScorer(e.target.value)}>
          {scorers.map((s) => (
            <option key={s} value={s}>
              {s === "score" ? "Weighted score (all scorers)" : s}
            </option>
          ))}
        </Select>
        <p className="pb-2 text-xs text-slate-600">
          Mean per {bucket}, 0–100%. Each line is a version; the tooltip gives how many outputs each point averages.
        </p>
      </div>
      <div aria-hidden="true" className="h-[260px]">
        {client ? (
          <LineChart
            accessibilityLayer={false}
            responsive
            width="100%"
            height={260}
            data={rows}
            margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          >
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              tickFormatter={(v: number) => timeTick(v, span)}
              tick={{ fontSize: 12, fill: "#475569" }}
            />
            <YAxis unit="%" domain={[0, 100]} width={48} tick={{ fontSize: 12, fill: "#475569" }} />
            <Tooltip
              labelFormatter={(v) => fullTime(Number(v))}
              formatter={(v, key, item) => {
                const version = String(key).slice(1);
                const n = (item?.payload as Record<string, number> | undefined)?.[`n${version}`];
                return [`${v}%${n ? ` (n ${n})` : ""}`, `v${version}`];
              }}
            />
            <Legend />
            {versions.map((v, i) => (
              <Line
                key={v}
                type="monotone"
                dataKey={`v${v}`}
                name={`v${v}`}
                stroke={seriesColors[(i + 1) % seriesColors.length]}
                strokeWidth={2}
                dot={rows.length < 30}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        ) : null}
      </div>
      <figcaption className="sr-only">
        {scorer} per version over time; the table view gives each point&apos;s mean and count.
      </figcaption>
      <ChartTable
        caption={`Mean ${scorer === "score" ? "weighted score" : scorer} per version and ${bucket}`}
        head={[`${bucket === "hour" ? "Hour" : "Day"} from`, ...versions.map((v) => `v${v} mean (outputs)`)]}
        rows={rows.map((r) => ({
          key: String(r.t),
          cells: [
            <Time key="t" value={new Date(r.t!)} />,
            ...versions.map((v) => (r[`v${v}`] === undefined ? "—" : `${r[`v${v}`]}% (${r[`n${v}`]})`)),
          ],
        }))}
      />
    </figure>
  );
}
