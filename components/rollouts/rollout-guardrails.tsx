import { readingText } from "@/lib/experiments/rollouts/rollout-decide";
import type { getRollout } from "@/lib/experiments/rollouts/rollout-reads";
import { formatCount, liftWithInterval, metricLabel } from "@/components/experiments/experiment-format";
import { Term } from "@/components/glossary/term";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";

/** A running rollout with what its guardrails read now (lib/experiments/rollouts/rollout-reads.ts). */
export type ActiveRollout = Awaited<ReturnType<typeof getRollout>>;
type Reading = NonNullable<ActiveRollout["current"]>["guardrails"][number];

/**
 * A guardrail so far in words: worse beyond chance or beyond the margin (the rollout rolls back), no data yet, too
 * few subjects to tell (a step waits), or no harm shown.
 */
function verdict(g: Reading, margin: number | null, minSample: number) {
  if (g.significant) return <Badge tone="red">Significantly worse: rolls back</Badge>;
  const best = g.ci ? (g.direction === "increase_is_bad" ? g.ci[0] : -g.ci[1]) : null;
  if (margin !== null && best !== null && best > margin)
    return <Badge tone="red">Worse by more than {(margin * 100).toFixed(1)} %: rolls back</Badge>;
  const arms = g.arms;
  if (arms && arms.live.subjects === 0 && arms.new.subjects === 0)
    return <span className="text-slate-600">No data on either version: not watched</span>;
  if (arms && Math.min(arms.live.subjects, arms.new.subjects) < minSample)
    return (
      <span className="text-slate-700">
        Too few subjects to tell: {formatCount(Math.min(arms.live.subjects, arms.new.subjects))} of the{" "}
        {formatCount(minSample)} per version a step needs
      </span>
    );
  if (g.lift === null) return <span className="text-slate-600">No data yet</span>;
  if (margin !== null && g.ci) {
    const worst = g.direction === "increase_is_bad" ? g.ci[1] : -g.ci[0];
    if (worst > margin)
      return (
        <span className="text-slate-700">
          Not worse so far; a harm above {(margin * 100).toFixed(1)} % not yet ruled out
        </span>
      );
  }
  return <span className="text-slate-700">Not significantly worse</span>;
}

/** "1,180 subjects (2,360 events)": what one side of a reading rests on. */
export function armText(a: { subjects: number; events: number }) {
  return `${formatCount(a.subjects)} subject${a.subjects === 1 ? "" : "s"} (${formatCount(a.events)} event${a.events === 1 ? "" : "s"})`;
}

/** "CUPED, −38 % variance" beside a reading adjusted for the subjects' own history, with the why on hover. */
function CupedNote({ cuped }: { cuped: { varianceReduction: number } | null }) {
  if (!cuped) return null;
  const r = Math.round(cuped.varianceReduction);
  return (
    <span
      className="block text-xs text-emerald-700"
      data-testid="rollout-cuped"
      title="Adjusted for what each subject did before the rollout (CUPED): the part of their result their own history predicts is taken out, so the same subjects give a narrower interval. Subjects are split at random, so the estimate stays fair."
    >
      CUPED, {r >= 0 ? `−${r}` : `+${-r}`} % variance
    </span>
  );
}

/** What each guardrail of a running rollout reads since it started; `title` heads the table. */
export function RolloutGuardrails({
  rollout: r,
  title = "Guardrails since the rollout started",
}: {
  rollout: ActiveRollout;
  title?: string;
}) {
  const readings = r.current?.guardrails ?? [];
  if (readings.every((g) => (g.arms ? g.arms.live.subjects + g.arms.new.subjects === 0 : g.lift === null)))
    return (
      <p className="text-sm text-slate-600" data-testid="rollout-no-readings">
        No guardrail data yet: {r.guardrails.map((g) => metricLabel(g.name)).join(", ")} are read once both versions
        have events.
      </p>
    );
  return (
    <div className="flex flex-col gap-1">
      <h4 className="text-sm font-semibold text-slate-900">{title}</h4>
      <Table
        caption={`Guardrails of version ${r.version} against version ${r.liveVersion ?? "live"} since the rollout started`}
        stack
      >
        <thead>
          <tr>
            <Th>Guardrail</Th>
            <Th>
              <Term k="lift">Lift</Term> and <Term k="alwaysValidInterval">interval</Term>
            </Th>
            <Th>Read from</Th>
            <Th>Reading</Th>
          </tr>
        </thead>
        <tbody>
          {readings.map((g) => (
            <tr key={g.metric} data-testid="rollout-guardrail" data-significant={g.significant || undefined}>
              <Td label="Guardrail" className="break-words">
                <span className="font-medium text-slate-900">{metricLabel(g.metric)}</span>{" "}
                <span className="text-xs text-slate-600">
                  ({g.direction === "increase_is_bad" ? "higher is worse" : "lower is worse"})
                </span>
              </Td>
              <Td label="Lift and interval" className="tabular-nums text-slate-800">
                {liftWithInterval(g.lift, g.ci)}
                <span className="sr-only"> ({readingText(g)})</span>
                <CupedNote cuped={g.cuped ?? null} />
              </Td>
              <Td label="Read from" className="text-xs text-slate-700" data-testid="rollout-guardrail-arms">
                {g.arms ? (
                  <>
                    <span className="block">live: {armText(g.arms.live)}</span>
                    <span className="block">new: {armText(g.arms.new)}</span>
                  </>
                ) : (
                  "–"
                )}
              </Td>
              <Td label="Reading" className="text-sm">
                {verdict(g, r.margin, r.minSamplePerArm)}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
