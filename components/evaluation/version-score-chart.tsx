"use client";

import { CartesianGrid, Legend, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTable } from "@/components/charts/chart-table";
import { useIsClient } from "@/components/charts/use-client";
import { intervalLine } from "@/components/charts/interval-line";

export type VersionScorePoint = {
  version: number;
  dataset: string;
  score: number | null;
  /** The score's 95% interval over items, when the run kept it. */
  ci?: [number, number] | null;
};

/**
 * The evaluation score of each version, one series per dataset (latest completed run of each): each version a
 * point with its interval as an error bar, joined by straight segments.
 */
export function VersionScoreChart({ points }: { points: VersionScorePoint[] }) {
  const client = useIsClient();
  const datasets = [...new Set(points.map((p) => p.dataset))].sort();
  const byVersion = new Map<number, Record<string, number | [number, number]>>();
  const pct = (x: number) => Math.round(x * 1000) / 10;
  for (const p of points) {
    if (p.score === null) continue;
    const row = byVersion.get(p.version) ?? { version: p.version };
    const score = pct(p.score);
    row[p.dataset] = score;
    if (p.ci) {
      row[`${p.dataset}\u0000ci`] = [pct(p.ci[0]), pct(p.ci[1])];
      row[`${p.dataset}\u0000err`] = [Math.max(0, score - pct(p.ci[0])), Math.max(0, pct(p.ci[1]) - score)];
    }
    byVersion.set(p.version, row);
  }
  const rows = [...byVersion.values()].sort((a, b) => (a.version as number) - (b.version as number));
  const ciText = (row: Record<string, unknown> | undefined, d: string) => {
    const ci = row?.[`${d}\u0000ci`] as [number, number] | undefined;
    return ci ? ` [${ci[0]}, ${ci[1]}]` : "";
  };
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
              formatter={(v, key, item) => [
                `${String(v)}%${ciText(item?.payload as Record<string, unknown> | undefined, String(key))}`,
                String(key),
              ]}
            />
            {datasets.length > 1 ? <Legend /> : null}
            {datasets.map((d, i) => intervalLine({ dataKey: d, name: d, errorKey: `${d}\u0000err`, index: i }))}
          </LineChart>
        ) : null}
      </div>
      <figcaption className="sr-only">
        Evaluation score per version; the table view gives each version&apos;s score.
      </figcaption>
      <ChartTable
        caption="Evaluation score per version"
        head={["Version", ...datasets.map((d) => `${d} [95% interval]`)]}
        rows={rows.map((r) => ({
          key: String(r.version),
          cells: [
            `v${String(r.version)}`,
            ...datasets.map((d) => (r[d] === undefined ? "—" : `${String(r[d])}%${ciText(r, d)}`)),
          ],
        }))}
      />
    </figure>
  );
}
