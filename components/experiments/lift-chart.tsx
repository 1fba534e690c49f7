"use client";

import { Area, ErrorBar, Legend, Line, ReferenceLine, Tooltip, YAxis } from "recharts";
import { clampBand, fitIntervalDomain, fullTime, pointTime, seriesColors } from "@/components/charts/chart-utils";
import { TimeChart } from "@/components/charts/time-chart";
import { ChartTable } from "@/components/charts/chart-table";
import { Time } from "@/components/ui/time";
import { formatCount, liftWithInterval } from "./format";

export type LiftPoint = {
  at: string;
  lift: Record<string, { lift: number | null; ci: [number, number] | null }>;
  /** Subjects per arm so far (cumulative), the control's included. */
  subjects: Record<string, number>;
};
export type LiftSeries = { key: string };

const pct = (x: number) => Math.round(x * 1000) / 10;
type Row = Record<string, number | [number, number] | null>;

/**
 * Cumulative lift of each variant over the control, hour by hour, with its interval as a band: the
 * difference is significant once the band no longer crosses the 0 line. The axis fits the settled
 * intervals; the first, widest ones reach the edge. Each point sits at the end of its hour, never
 * before the experiment started.
 */
export function LiftChart({
  data,
  series,
  control,
  from,
  until,
  emptyText,
}: {
  data: LiftPoint[];
  series: LiftSeries[];
  /** The control's key: a lift rests on the smaller of its subjects and the variant's. */
  control: string;
  /** When the current phase started, and when the chart ends (now, or the stop). */
  from: string | null;
  until: string;
  emptyText: string;
}) {
  const start = from ? Date.parse(from) : null;
  const end = Date.parse(until);
  const points = data.filter((p) => series.some((s) => p.lift[s.key]?.lift != null));
  const last = points.at(-1);
  if (!last) return <p className="py-10 text-center text-sm text-slate-600">{emptyText}</p>;
  const subjectsOf = (p: LiftPoint, key: string) => Math.min(p.subjects[control] ?? 0, p.subjects[key] ?? 0);
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
    const row: Row = { t: pointTime(Date.parse(p.at), start, end) };
    for (const s of series) {
      const l = p.lift[s.key];
      const value = l?.lift == null ? null : pct(l.lift);
      row[s.key] = value;
      row[`${s.key}_n`] = subjectsOf(p, s.key);
      row[`${s.key}_ci`] = l?.ci ? [pct(l.ci[0]), pct(l.ci[1])] : null;
      const band = l?.ci ? clampBand([pct(l.ci[0]), pct(l.ci[1])], y.domain) : null;
      row[`${s.key}_band`] = band ? band.band : null;
      // With one or two hours of data a band has no width to draw: the interval is an error bar then.
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
    .map((s) => `${s.key}: ${liftWithInterval(last.lift[s.key]?.lift ?? null, last.lift[s.key]?.ci ?? null)}`)
    .join("; ");
  return (
    <figure className="flex flex-col gap-2">
      <TimeChart
        kind="composed"
        className="h-[280px]"
        height={280}
        rows={rows}
        span={span}
        xDomain={few ? ["dataMin - 1800000", "dataMax + 1800000"] : ["dataMin", "dataMax"]}
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
      </TimeChart>
      <figcaption className="text-sm text-slate-700" data-testid="lift-summary">
        Latest cumulative lift over the control — {summary}.
        {clipped ? (
          <span className="block text-xs text-slate-600">
            The first intervals, on few subjects, are wider than the chart: their band runs to its edge. The table has
            their full width.
          </span>
        ) : null}
      </figcaption>
      <ChartTable
        caption="Cumulative lift over the control, hour by hour"
        head={["Until", ...series.flatMap((s) => [`${s.key} lift (interval)`, `${s.key} subjects`])]}
        rows={points.map((p, i) => ({
          key: p.at,
          cells: [
            <Time key="t" value={new Date(rows[i]!.t as number)} />,
            ...series.flatMap((s) => [
              liftWithInterval(p.lift[s.key]?.lift ?? null, p.lift[s.key]?.ci ?? null),
              formatCount(subjectsOf(p, s.key)),
            ]),
          ],
        }))}
        note="Subjects: the smaller of the control's and the variant's count, which is what the interval rests on."
      />
    </figure>
  );
}

/** The hovered hour: each variant's lift, its whole interval (also when the band is cut) and its subjects. */
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
      <p className="font-semibold">{fullTime(Number(label ?? row.t))}</p>
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
