import { Time } from "@/components/ui/time";
import {
  formatCount,
  metricLabel,
  modeHelp,
  modeLabel,
  percent,
  shareRange,
  signedPercent,
} from "@/components/experiments/experiment-format";
import { Term } from "@/components/glossary/term";
import type { ExperimentView } from "./types";

function Row({ term, children }: { term: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 sm:flex-row sm:gap-4">
      <dt className="w-48 shrink-0 text-sm font-medium text-slate-600">{term}</dt>
      <dd className="text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** The experiment as it was defined: metrics, statistics settings, the plan and the timestamps. */
export function DefinitionList({ experiment: e }: { experiment: ExperimentView }) {
  const primary = e.primaryMetric;
  const guardrails = e.guardrails;
  const bandit = e.bandit;
  const baseline = e.baseline;
  return (
    <dl className="flex flex-col gap-2.5">
      <Row term="Mode">
        <Term k={e.mode}>{modeLabel[e.mode]}</Term> — {modeHelp[e.mode]}
        {bandit
          ? ` Algorithm ${bandit.algorithm === "ucb1" ? "UCB1" : "Thompson sampling"}, at least ${percent(bandit.floor, 0)} per variant, reweighting after ${formatCount(bandit.burnIn)} subjects per variant.`
          : ""}
      </Row>
      <Row term="Primary metric">
        {metricLabel(primary.name)} <code className="text-xs text-slate-600">{primary.name}</code> ({primary.kind},{" "}
        {(primary.goal ?? "increase") === "increase" ? "higher is better" : "lower is better"})
      </Row>
      <Row term="Guardrails">
        {guardrails.length
          ? guardrails
              .map(
                (g) =>
                  `${metricLabel(g.name)} (${g.direction === "increase_is_bad" ? "must not go up" : "must not go down"})`,
              )
              .join(", ")
          : "None"}
      </Row>
      {e.ratioMetrics.length ? (
        <Row term="Ratio metrics">
          {e.ratioMetrics.map((r) => `${r.name} = Σ ${r.numerator} ÷ Σ ${r.denominator}`).join(", ")}
        </Row>
      ) : null}
      <Row term="Coverage">
        {percent(e.coverage, 0)} of the subjects asking for the prompt take part; the others get the control.
      </Row>
      {e.namespace ? (
        <Row term="Namespace">
          {e.namespace.name}: this experiment takes {shareRange(e.namespace.range)} of its users. Experiments in one
          namespace never share a user; users outside the share get the control.
        </Row>
      ) : null}
      <Row
        term={
          <>
            <Term k="significance">Significance (α)</Term> and <Term k="power">power</Term>
          </>
        }
      >
        α = {e.alpha} ({Number(((1 - e.alpha) * 100).toPrecision(3))}% confidence), power {percent(e.power, 0)}
      </Row>
      <Row term="Smallest lift worth detecting">
        {e.minDetectableEffect === null ? "—" : signedPercent(e.minDetectableEffect)}
      </Row>
      <Row term="Baseline">
        {baseline
          ? "rate" in baseline
            ? `${percent(baseline.rate)} (the control's rate given when it was planned; its rate now is in the table)`
            : `mean ${baseline.mean}, sd ${baseline.sd}`
          : primary.kind === "binary"
            ? "Not given (planned at 50%)"
            : "Not given"}
      </Row>
      <Row term="Planned sample">
        {e.plannedSamplePerArm
          ? `${formatCount(e.plannedSamplePerArm)} subjects per variant (${formatCount(e.plannedSamplePerArm * e.variants.length)} in all)`
          : "None"}
      </Row>
      <Row term="Assignment seed">
        <code className="text-xs">{e.seed}</code>
        {e.phase > 1 ? <span className="text-slate-600"> (phase 1; each later phase has its own)</span> : null}
      </Row>
      <Row term="Timeline">
        defined <Time value={e.createdAt} />
        {e.startedAt ? (
          <>
            {" · "}started <Time value={e.startedAt} />
          </>
        ) : null}
        {e.stoppedAt ? (
          <>
            {" · "}stopped <Time value={e.stoppedAt} />
          </>
        ) : null}
      </Row>
    </dl>
  );
}
