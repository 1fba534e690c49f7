"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { seriesColors } from "@/components/charts/chart-utils";
import { ChartTable } from "@/components/charts/chart-table";
import { useIsClient } from "@/components/charts/use-client";

export type VersionScorePoint = { version: number; dataset: string; score: number | null };

/** The evaluation score of each version, one line per dataset (latest completed run of each). */
export function VersionScoreChart({ points }: { points: VersionScorePoint[] }) {
  const client = useIsClient();
  const datasets = [...new Set(points.map((p) => p.dataset))].sort();
  const byVersion = new Map<number, Record<string, number>>();
  for (const p of points) {
    if (p.score === null) continue;
    const row = byVersion.get(p.version) ?? { version: p.version };
    row[p.dataset] = Math.round(p.score * 1000) / 10;
    byVersion.set(p.version, row);
  }
  const rows = [...byVersion.values()].sort((a, b) => a.version! - b.version!);
  if (rows.length < 2) return null;
  return (
    <figure className="flex flex-col gap-2">
      <div aria-hidden="true" className="h-[180px]">
        {client ? (
          <LineChart
            accessibilityLayer={false}
            responsive
            width="100%"
            height={180}
            data={rows}
            margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
          >
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis dataKey="version" tickFormatter={(v: number) => `v${v}`} tick={{ fontSize: 12, fill: "#475569" }} />
            <YAxis unit="%" domain={[0, 100]} width={44} tick={{ fontSize: 12, fill: "#475569" }} />
            <Tooltip
              labelFormatter={(v) => `version ${String(v)}`}
              formatter={(v, key) => [`${String(v)}%`, String(key)]}
            />
            {datasets.length > 1 ? <Legend /> : null}
            {datasets.map((d, i) => (
              <Line
                key={d}
                type="monotone"
                dataKey={d}
                name={d}
                stroke={seriesColors[(i + 1) % seriesColors.length]}
                strokeWidth={2}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        ) : null}
      </div>
      <figcaption className="sr-only">
        Evaluation score per version; the table view gives each version&apos;s score.
      </figcaption>
      <ChartTable
        caption="Evaluation score per version"
        head={["Version", ...datasets]}
        rows={rows.map((r) => ({
          key: String(r.version),
          cells: [`v${r.version}`, ...datasets.map((d) => (r[d] === undefined ? "—" : `${r[d]}%`))],
        }))}
      />
    </figure>
  );
}
