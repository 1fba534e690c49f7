"use client";

import { Legend, Line, Tooltip } from "recharts";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { fullTime, seriesColors } from "@/components/charts/chart-utils";
import { TimeChart } from "@/components/charts/time-chart";
import { chance, percent } from "./experiment-format";

export type WeightsPhase = {
  phase: number;
  at: string;
  weights: Record<string, number>;
  pBest: number[] | null;
  reason: string;
};

/** The share of new subjects each variant got, phase by phase (a step per reweighting), and P(best) when known. */
export function WeightsChart({
  phases,
  variants,
  until,
}: {
  phases: WeightsPhase[];
  variants: string[];
  /** When the last phase ends on the chart: the stop, or the time the page was read. */ until: string;
}) {
  if (!phases.length)
    return (
      <p className="py-10 text-center text-sm text-slate-600">The split is recorded once the experiment starts.</p>
    );
  const row = (t: number, w: Record<string, number>) => ({
    t,
    ...Object.fromEntries(variants.map((k) => [k, Math.round((w[k] ?? 0) * 1000) / 10])),
  });
  const rows = phases.map((p) => row(Date.parse(p.at), p.weights));
  // The last phase lasts until now (or the stop): draw it to the right edge.
  const end = Date.parse(until);
  rows.push(row(Math.max(end, rows.at(-1)!.t + 60_000), phases.at(-1)!.weights));
  const span = rows.at(-1)!.t - rows[0]!.t;
  return (
    <figure className="flex flex-col gap-3">
      <TimeChart className="h-[240px]" height={240} rows={rows} span={span} percent>
        <Tooltip labelFormatter={(v) => fullTime(Number(v))} formatter={(v, name) => [`${v}%`, String(name)]} />
        <Legend />
        {variants.map((k, i) => (
          <Line
            key={k}
            type="stepAfter"
            dataKey={k}
            stroke={seriesColors[i % seriesColors.length]}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </TimeChart>
      <figcaption className="sr-only">Weights per phase, in the table below.</figcaption>
      <Table caption="Weights per phase" stack>
        <thead>
          <tr>
            <Th>Phase</Th>
            <Th>From</Th>
            {variants.map((k) => (
              <Th key={k} className="text-right">
                {k}
              </Th>
            ))}
            <Th>Why</Th>
          </tr>
        </thead>
        <tbody>
          {phases.map((p) => (
            <tr key={p.phase}>
              <Td label="Phase">{p.phase}</Td>
              <Td label="From" className="whitespace-nowrap text-xs">
                <Time value={p.at} />
              </Td>
              {variants.map((k, i) => (
                <Td key={k} className="text-right tabular-nums">
                  {percent(p.weights[k] ?? 0, 0)}
                  {p.pBest ? (
                    <span className="block text-xs text-slate-500">best: {chance(p.pBest[i] ?? null)}</span>
                  ) : null}
                </Td>
              ))}
              <Td label="Why" className="text-xs text-slate-600">
                {p.reason}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </figure>
  );
}
