"use client";

import { Area, ErrorBar, Legend, Line, ReferenceLine, Tooltip, YAxis } from "recharts";
import { clampBand, fitIntervalDomain, fullTime, seriesColors } from "@/components/charts/chart-utils";
import { TimeChart } from "@/components/charts/time-chart";
import { formatCount, liftWithInterval } from "./experiment-format";
import { binNoun, LiftTable } from "./lift-table";
import type { LiftPoint, LiftSeries } from "./lift-types";

export type { LiftEstimate, LiftPoint, LiftSeries } from "./lift-types";

const pct = (x: number) => Math.round(x * 1000) / 10;
type Row = Record<string, number | [number, number] | null>;

/**
 * Cumulative lift of each variant over the control, bin by bin (the bin fits the span of the data: minutes
 * for minutes, hours for days), with its interval as a band: the difference is significant once the band no
 * longer crosses the 0 line. The line is the estimate the verdict states (CUPED-adjusted where it applies); the
 * unadjusted one is a dashed, labelled secondary line. Each point sits at the fixed end of its bin. The table
 * beside it holds the same numbers; the explanation runs under both.
 */
export function LiftChart({
  data,
  series,
  control,
  bin,
  emptyText,
}: {
  data: LiftPoint[];
  series: LiftSeries[];
  /** The control's key: a lift rests on the smaller of its subjects and the variant's. */
  control: string;
  /** The width of a bin, ms. */
  bin: number;
  emptyText: string;
}) {
  const points = data.filter((p) => series.some((s) => p.lift[s.key]?.lift != null));
  const last = points.at(-1);
  if (!last) return <p className="py-10 text-center text-sm text-slate-600">{emptyText}</p>;
  const subjectsOf = (p: LiftPoint, key: string) => Math.min(p.subjects[control] ?? 0, p.subjects[key] ?? 0);
  const anyAdjusted = points.some((p) => series.some((s) => p.lift[s.key]?.adjusted));
  const y = fitIntervalDomain(
    series.map((s) =>
      points.map((p) => {
        const l = p.lift[s.key];
        return {
          estimate: l?.lift == null ? null : pct(l.lift),
          lo: l?.ci ? pct(l.ci[0]) : null,
          hi: l?.ci ? pct(l.ci[1]) : null,
          subjects: subjectsOf(p, s.key),
        };
      }),
    ),
  );
  const rows = points.map((p) => {
    const row: Row = { t: Date.parse(p.at) };
    for (const s of series) {
      const l = p.lift[s.key];
      const value = l?.lift == null ? null : pct(l.lift);
      row[s.key] = value;
      row[`${s.key}_raw`] = l?.adjusted && l.raw?.lift != null ? pct(l.raw.lift) : null;
      row[`${s.key}_n`] = subjectsOf(p, s.key);
      row[`${s.key}_ci`] = l?.ci ? [pct(l.ci[0]), pct(l.ci[1])] : null;
      const band = l?.ci ? clampBand([pct(l.ci[0]), pct(l.ci[1])], y.domain) : null;
      row[`${s.key}_band`] = band ? band.band : null;
      // With one or two bins of data a band has no width to draw: the interval is an error bar then.
      row[`${s.key}_err`] = band && value !== null ? [value - band.band[0], band.band[1] - value] : null;
    }
    return row;
  });
  const clipped = points.some((p) =>
    series.some((s) => {
      const ci = p.lift[s.key]?.ci;
      return ci ? clampBand([pct(ci[0]), pct(ci[1])], y.domain).clipped : false;
    }),
  );
  const span = (rows.at(-1)!.t as number) - (rows[0]!.t as number);
  const few = rows.length < 3;
  const summary = series
    .map((s) => {
      const l = last.lift[s.key];
      const shown = `${s.key}: ${liftWithInterval(l?.lift ?? null, l?.ci ?? null)}`;
      return l?.adjusted && l.raw
        ? `${shown}, CUPED-adjusted as in the verdict (unadjusted ${liftWithInterval(l.raw.lift, null)})`
        : shown;
    })
    .join("; ");
  const colour = (i: number) => seriesColors[(i + 1) % seriesColors.length];
  return (
    <figure className="flex flex-col gap-3">
      <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <TimeChart
          kind="composed"
          className="h-[280px] min-w-0"
          height={280}
          rows={rows}
          span={span}
          xDomain={few ? [`dataMin - ${bin / 2}`, `dataMax + ${bin / 2}`] : ["dataMin", "dataMax"]}
        >
          <YAxis
            unit="%"
            width={64}
            domain={y.domain}
            ticks={y.ticks}
            allowDataOverflow
            tick={{ fontSize: 12, fill: "#475569" }}
          />
          <ReferenceLine y={0} stroke="#0f172a" strokeWidth={1.5} />
          <Tooltip content={<LiftTooltip series={series} />} />
          <Legend formatter={(v: string) => legendLabel(v, anyAdjusted)} />
          {series.map((s, i) => (
            <Area
              key={`${s.key}_band`}
              dataKey={`${s.key}_band`}
              stroke="none"
              fill={colour(i)}
              fillOpacity={0.15}
              isAnimationActive={false}
              connectNulls
            />
          ))}
          {anyAdjusted
            ? series.map((s, i) => (
                <Line
                  key={`${s.key}_raw`}
                  dataKey={`${s.key}_raw`}
                  stroke={colour(i)}
                  strokeWidth={1}
                  strokeDasharray="4 3"
                  strokeOpacity={0.7}
                  dot={false}
                  isAnimationActive={false}
                  connectNulls
                />
              ))
            : null}
          {series.map((s, i) => (
            <Line
              key={s.key}
              dataKey={s.key}
              stroke={colour(i)}
              strokeWidth={2}
              dot={few}
              isAnimationActive={false}
              connectNulls
            >
              {few ? (
                <ErrorBar dataKey={`${s.key}_err`} width={10} strokeWidth={2} stroke={colour(i)} direction="y" />
              ) : null}
            </Line>
          ))}
        </TimeChart>
        <LiftTable points={points} series={series} bin={bin} subjectsOf={subjectsOf} />
      </div>
      <figcaption className="text-sm text-slate-700" data-testid="lift-summary">
        Latest cumulative lift over the control — {summary}.
        <span className="mt-1 block text-xs text-slate-600">
          Each point is the lift of everyone who had arrived by the end of its {binNoun(bin)}, at that fixed time.
          {anyAdjusted
            ? " The solid line is the estimate the verdict states, CUPED-adjusted (each subject's own history removes part of the noise); the dashed line is the unadjusted lift."
            : ""}
          {clipped
            ? " The first intervals, on few subjects, are wider than the chart: their band runs to its edge; the table has their full width."
            : ""}
        </span>
      </figcaption>
    </figure>
  );
}

const legendLabel = (v: string, adjusted: boolean) =>
  v.endsWith("_band")
    ? `${v.replace(/_band$/, "")} interval`
    : v.endsWith("_raw")
      ? `${v.replace(/_raw$/, "")} unadjusted lift`
      : `${v} lift${adjusted ? " (CUPED-adjusted)" : ""}`;

/** The hovered bin: each variant's lift, its whole interval (also when the band is cut) and its subjects. */
function LiftTooltip({
  series,
  active,
  payload,
  label,
}: {
  series: LiftSeries[];
  active?: boolean;
  payload?: readonly { payload?: Row }[];
  label?: string | number;
}) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  return (
    <div
      className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs text-slate-800 shadow-sm"
      role="status"
    >
      <p className="font-semibold">Until {fullTime(Number(label ?? row.t))}</p>
      {series.map((s, i) => {
        const v = row[s.key] as number | null;
        const ci = row[`${s.key}_ci`] as [number, number] | null;
        return (
          <p key={s.key} className="mt-0.5 tabular-nums">
            <span style={{ color: seriesColors[(i + 1) % seriesColors.length] }}>●</span> {s.key}:{" "}
            {v === null ? "—" : `${v > 0 ? "+" : ""}${v}%`}
            {ci ? ` (${ci[0]}% to ${ci[1]}%)` : ""} · {formatCount(row[`${s.key}_n`] as number)} subjects
          </p>
        );
      })}
    </div>
  );
}
