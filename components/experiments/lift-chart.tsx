"use client";

import {
  Area,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { fullTime, timeTick, seriesColors, zeroTicks } from "@/components/charts/chart-utils";
import { liftWithInterval } from "./format";
import { useIsClient } from "@/components/charts/use-client";

export type LiftPoint = { at: string; lift: Record<string, { lift: number | null; ci: [number, number] | null }> };
export type LiftSeries = { key: string };

const pct = (x: number) => Math.round(x * 1000) / 10;

/**
 * Cumulative lift of each variant over the control, hour by hour, with its interval as a band: the
 * difference is significant once the band no longer crosses the 0 line.
 */
export function LiftChart({ data, series, emptyText }: { data: LiftPoint[]; series: LiftSeries[]; emptyText: string }) {
  const client = useIsClient();
  const rows = data
    .map((p) => {
      const row: Record<string, number | [number, number] | null> = { t: Date.parse(p.at) };
      for (const s of series) {
        const l = p.lift[s.key];
        row[s.key] = l?.lift == null ? null : pct(l.lift);
        row[`${s.key}_band`] = l?.ci ? [pct(l.ci[0]), pct(l.ci[1])] : null;
        // With one or two hours of data a band has no width to draw: the interval is an error bar then.
        row[`${s.key}_err`] = l?.ci && l.lift !== null ? [pct(l.lift - l.ci[0]), pct(l.ci[1] - l.lift)] : null;
      }
      return row;
    })
    .filter((r) => series.some((s) => r[s.key] !== null));
  const last = data.at(-1);
  if (!rows.length || !last) return <p className="py-10 text-center text-sm text-slate-600">{emptyText}</p>;
  const span = (rows.at(-1)!.t as number) - (rows[0]!.t as number);
  const y = zeroTicks(
    rows.flatMap((r) =>
      series.flatMap((s) => [r[s.key], r[`${s.key}_band`]].flat().filter((v): v is number => typeof v === "number")),
    ),
  );
  const few = rows.length < 3;
  const summary = series
    .map((s) => `${s.key}: ${liftWithInterval(last.lift[s.key]?.lift ?? null, last.lift[s.key]?.ci ?? null)}`)
    .join("; ");
  return (
    <figure className="flex flex-col gap-2">
      <div aria-hidden="true" className="h-[280px]">
        {client ? (
          <ComposedChart
            accessibilityLayer={false}
            responsive
            width="100%"
            height={280}
            data={rows}
            margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          >
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={few ? ["dataMin - 1800000", "dataMax + 1800000"] : ["dataMin", "dataMax"]}
              tickFormatter={(v: number) => timeTick(v, span)}
              tick={{ fontSize: 12, fill: "#475569" }}
            />
            <YAxis
              unit="%"
              width={64}
              domain={y.domain}
              ticks={y.ticks}
              allowDataOverflow
              tick={{ fontSize: 12, fill: "#475569" }}
            />
            <ReferenceLine y={0} stroke="#0f172a" strokeWidth={1.5} />
            <Tooltip
              labelFormatter={(v) => fullTime(Number(v))}
              formatter={(v, name) =>
                Array.isArray(v)
                  ? [`${v[0]}% to ${v[1]}%`, `${String(name).replace(/_band$/, "")} interval`]
                  : [`${v}%`, `${String(name)} lift`]
              }
            />
            <Legend
              formatter={(v: string) => (v.endsWith("_band") ? `${v.replace(/_band$/, "")} interval` : `${v} lift`)}
            />
            {series.map((s, i) => (
              <Area
                key={`${s.key}_band`}
                dataKey={`${s.key}_band`}
                stroke="none"
                fill={seriesColors[(i + 1) % seriesColors.length]}
                fillOpacity={0.15}
                isAnimationActive={false}
                connectNulls
              />
            ))}
            {series.map((s, i) => (
              <Line
                key={s.key}
                dataKey={s.key}
                stroke={seriesColors[(i + 1) % seriesColors.length]}
                strokeWidth={2}
                dot={few}
                isAnimationActive={false}
                connectNulls
              >
                {few ? (
                  <ErrorBar
                    dataKey={`${s.key}_err`}
                    width={10}
                    strokeWidth={2}
                    stroke={seriesColors[(i + 1) % seriesColors.length]}
                    direction="y"
                  />
                ) : null}
              </Line>
            ))}
          </ComposedChart>
        ) : null}
      </div>
      <figcaption className="text-sm text-slate-700" data-testid="lift-summary">
        Latest cumulative lift over the control — {summary}.
      </figcaption>
    </figure>
  );
}
