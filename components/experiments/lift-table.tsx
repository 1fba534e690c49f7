import { binWords, DAY, HOUR } from "@/lib/experiments/analysis/bins";
import { ChartNumbers } from "@/components/charts/chart-table";
import { Time } from "@/components/ui/time";
import { formatCount, liftWithInterval } from "./experiment-format";
import type { LiftPoint, LiftSeries } from "./lift-types";

/** "minute", "hour", "day" — or "5-minute bin": what each point of the chart closes. */
export function binNoun(bin: number): string {
  const unit = bin % DAY === 0 ? "day" : bin % HOUR === 0 ? "hour" : "minute";
  const size = bin / (unit === "day" ? DAY : unit === "hour" ? HOUR : 60_000);
  return size === 1 ? unit : `${size}-${unit} bin`;
}

/** The chart's numbers beside it, readable by everyone (its text alternative): the newest bin first. */
export function LiftTable({
  points,
  series,
  bin,
  subjectsOf,
}: {
  points: LiftPoint[];
  series: LiftSeries[];
  bin: number;
  subjectsOf: (p: LiftPoint, key: string) => number;
}) {
  const adjusted = points.some((p) => series.some((s) => p.lift[s.key]?.adjusted));
  const head = [
    "Until",
    ...series.flatMap((s) => [
      `${s.key} lift (interval)`,
      ...(adjusted ? [`${s.key} unadjusted`] : []),
      `${s.key} subjects`,
    ]),
  ];
  const rows = [...points].reverse().map((p) => ({
    key: String(p.at),
    cells: [
      <Time key="at" value={p.at} />,
      ...series.flatMap((s) => {
        const l = p.lift[s.key];
        return [
          liftWithInterval(l?.lift ?? null, l?.ci ?? null),
          ...(adjusted ? [l?.adjusted && l.raw ? liftWithInterval(l.raw.lift, null) : "same"] : []),
          formatCount(subjectsOf(p, s.key)),
        ];
      }),
    ],
  }));
  return (
    <div className="flex max-h-[280px] min-w-0 flex-col gap-1 overflow-y-auto" data-testid="lift-table">
      <ChartNumbers
        caption={`Cumulative lift over the control, ${binWords(bin)}`}
        head={head}
        rows={rows}
        note="Subjects: the smaller of the control's and the variant's count, which is what the interval rests on."
      />
    </div>
  );
}
