// How sure a run's score is (items as the unit) and, with repetitions, pass@k and pass^k. Shown on a
// run's page and on both sides of a comparison.
import type { RunStatistics } from "@/lib/scorers";

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

export function RunStatisticsLine({ stats, label }: { stats: RunStatistics | null; label?: string }) {
  if (!stats) return <p className="text-sm text-slate-600">{label ? `${label}: ` : ""}no statistics for this run.</p>;
  const k = stats.repetitions;
  return (
    <p className="text-sm text-slate-700" data-testid="run-statistics">
      {label ? <span className="font-medium">{label}: </span> : null}
      score {pct(stats.score)}
      {stats.ci ? ` [${pct(stats.ci[0])}, ${pct(stats.ci[1])}]` : ""} (95% t interval over {stats.items} item
      {stats.items === 1 ? "" : "s"})
      {k > 1 ? (
        <>
          {" "}
          · pass@{k} {pct(stats.passAtK)} · pass^{k} {pct(stats.passHatK)} · {stats.unstable} item
          {stats.unstable === 1 ? "" : "s"} passed only some of {k} times
          {stats.meanItemSd != null ? ` · mean sd of an item across repetitions ${stats.meanItemSd.toFixed(3)}` : ""}
        </>
      ) : null}
    </p>
  );
}
