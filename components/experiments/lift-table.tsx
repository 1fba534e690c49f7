import { binWords, DAY, HOUR } from "@/lib/experiments/bins";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { formatCount, liftWithInterval } from "./format";
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
  return (
    <div className="max-h-[280px] min-w-0 overflow-y-auto" data-testid="lift-table">
      <Table caption={`Cumulative lift over the control, ${binWords(bin)}`} stack>
        <thead>
          <tr>
            {head.map((h, i) => (
              <Th key={h} className={`normal-case ${i ? "text-right" : ""}`}>
                {h}
              </Th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...points].reverse().map((p) => (
            <tr key={p.at}>
              <Td label="Until" className="whitespace-nowrap text-xs">
                <Time value={p.at} />
              </Td>
              {series.flatMap((s) => {
                const l = p.lift[s.key];
                const cells = [
                  [`${s.key} lift (interval)`, liftWithInterval(l?.lift ?? null, l?.ci ?? null)],
                  ...(adjusted
                    ? [[`${s.key} unadjusted`, l?.adjusted && l.raw ? liftWithInterval(l.raw.lift, null) : "same"]]
                    : []),
                  [`${s.key} subjects`, formatCount(subjectsOf(p, s.key))],
                ];
                return cells.map(([label, value]) => (
                  <Td key={label} label={label} className="whitespace-nowrap text-right tabular-nums">
                    {value}
                  </Td>
                ));
              })}
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="mt-1 text-xs text-slate-600">
        Subjects: the smaller of the control&apos;s and the variant&apos;s count, which is what the interval rests on.
      </p>
    </div>
  );
}
