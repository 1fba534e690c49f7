"use client";

import type { ReactNode } from "react";
import { CartesianGrid, ComposedChart, LineChart, XAxis, YAxis, type XAxisProps } from "recharts";
import { timeTick } from "@/components/charts/chart-utils";
import { useIsClient } from "@/components/charts/use-client";

const tick = { fontSize: 12, fill: "#475569" };

/**
 * The frame the charts over time share: drawn in the browser only (local time, the browser's width), hidden
 * from assistive technology (each chart's table says the same), a dashed grid and a time axis over `t` whose
 * ticks fit the span shown. `percent` adds the 0–100 % y-axis; otherwise the children bring their own.
 */
export function TimeChart({
  kind = "line",
  className,
  height,
  rows,
  span,
  xDomain = ["dataMin", "dataMax"],
  percent = false,
  children,
}: {
  /** A line chart, or a composed one (areas and lines). */
  kind?: "line" | "composed";
  /** The box's classes, its height among them (a literal class, so that it is generated). */
  className: string;
  height: number;
  rows: Record<string, unknown>[];
  /** The time the rows span, in ms: ticks name the day when it is over a day. */
  span: number;
  xDomain?: XAxisProps["domain"];
  percent?: boolean;
  children: ReactNode;
}) {
  const client = useIsClient();
  const Chart = kind === "composed" ? ComposedChart : LineChart;
  return (
    <div aria-hidden="true" className={className}>
      {client ? (
        <Chart
          accessibilityLayer={false}
          responsive
          width="100%"
          height={height}
          data={rows}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={xDomain}
            tickFormatter={(v: number) => timeTick(v, span)}
            tick={tick}
          />
          {percent ? <YAxis unit="%" domain={[0, 100]} width={48} tick={tick} /> : null}
          {children}
        </Chart>
      ) : null}
    </div>
  );
}
