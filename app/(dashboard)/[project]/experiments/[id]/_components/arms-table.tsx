import { encodePromptName } from "@/lib/registry/name-rules";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { CupedLine, DecidingP } from "@/components/experiments/cuped-line";
import { decidingComparison } from "@/lib/experiments/analysis/adjusted";
import {
  chance,
  controlNote,
  formatCount,
  liftWithInterval,
  metricLabel,
  metricValue,
  percent,
} from "@/components/experiments/experiment-format";
import { Term } from "@/components/glossary/term";
import type { ExperimentView, ResultsView } from "./types";

type Comparison = ResultsView["comparisons"][number]["metrics"][string];

/** The call on the primary metric, read as the winner and the verdict read it: CUPED-adjusted when it applies. */
function Result({ c, goal }: { c: Comparison | undefined; goal: "increase" | "decrease" }) {
  if (!c) return <Badge>baseline</Badge>;
  const d = decidingComparison(c);
  if (d.pValue === null)
    return (
      <span title={c.note ?? undefined} className="text-xs text-slate-600">
        not enough data
      </span>
    );
  const basis = c.adjusted ? " (CUPED)" : "";
  if (!d.significant) return <Badge tone="amber">{`no clear difference yet${basis}`}</Badge>;
  const effect = d.lift ?? d.difference ?? 0;
  const better = goal === "increase" ? effect > 0 : effect < 0;
  return (
    <Badge
      tone={better ? "green" : "red"}
    >{`${better ? "significantly better" : "significantly worse"}${basis}`}</Badge>
  );
}

/** One row per variant: traffic, subjects, the primary metric, and how it compares with the control. */
export function ArmsTable({
  slug,
  experiment: e,
  results: r,
  messages,
  intervalName,
}: {
  slug: string;
  experiment: ExperimentView;
  results: ResultsView;
  messages: Record<number, string>;
  intervalName: string;
}) {
  const primary = r.primaryMetric;
  const bandit = e.mode === "bandit";
  const latest = r.weights.at(-1);
  const pBest = (latest?.pBest as number[] | null | undefined) ?? null;
  const pTerm = e.mode === "fixed" ? "pValue" : "alwaysValidP";
  return (
    <Table caption="Variants and their results" stack>
      <thead>
        <tr>
          <Th>Variant</Th>
          <Th>Traffic</Th>
          <Th className="text-right">Subjects</Th>
          <Th className="text-right">{metricLabel(primary.name)}</Th>
          <Th>
            <Term k="lift">Lift vs control</Term> (
            <Term k={e.mode === "fixed" ? "confidenceInterval" : "alwaysValidInterval"}>{intervalName}</Term>)
          </Th>
          <Th className="text-right">
            <Term k={pTerm} align="right" />
          </Th>
          {/* A chance of being best only where the decision is the bandit's own Bayesian model. */}
          {bandit ? (
            <Th className="text-right">
              <Term k="chanceOfBest" align="right" />
            </Th>
          ) : null}
          <Th>Result</Th>
        </tr>
      </thead>
      <tbody>
        {e.variants.map((v, i) => {
          const arm = r.arms.find((a) => a.variant === v.key);
          const m = arm?.metrics[primary.name];
          const c = i === 0 ? undefined : r.comparisons.find((x) => x.variant === v.key)?.metrics[primary.name];
          // One lift and one p-value per comparison: the ones the call reads (CUPED's when it applies).
          const d = c ? decidingComparison(c) : undefined;
          const isWinner = r.winner === v.key;
          return (
            <tr key={v.key} data-testid={`arm-${v.key}`} className={isWinner ? "bg-emerald-50/60" : undefined}>
              <Td label="Variant" className="min-w-[12rem]">
                <span className="font-semibold text-slate-900">{v.key}</span>
                {controlNote(v.key, i) ? (
                  <span className="ml-1.5 text-xs text-slate-600">{controlNote(v.key, i)}</span>
                ) : null}
                {isWinner ? (
                  <span className="ml-1.5">
                    <Badge tone="green">winner</Badge>
                  </span>
                ) : null}
                <p className="mt-0.5 text-xs text-slate-600">
                  <Link
                    href={`/${slug}/prompts/${encodePromptName(e.prompt)}?show=${v.version}#prompt`}
                    className="text-brand-700 underline"
                  >
                    v{v.version}
                  </Link>
                  {messages[v.version] ? ` · ${messages[v.version]!.slice(0, 70)}` : ""}
                </p>
              </Td>
              <Td label="Traffic" className="whitespace-nowrap">
                {e.status === "stopped" ? "—" : percent(v.weight, 0)}
              </Td>
              <Td label="Subjects" className="tabular-nums sm:text-right">
                {formatCount(arm?.subjects ?? 0)}
              </Td>
              <Td label={metricLabel(primary.name)} className="whitespace-nowrap tabular-nums sm:text-right">
                {metricValue(primary.name, primary.kind, m?.mean)}
                {m ? <span className="block text-xs text-slate-500">n = {formatCount(m.n)}</span> : null}
              </Td>
              <Td label={`Lift vs control (${intervalName})`} className="tabular-nums sm:whitespace-nowrap">
                {c && d ? liftWithInterval(d.lift, d.ci) : <span className="text-slate-500">—</span>}
                {c ? <CupedLine adjusted={c.adjusted} reason={c.adjustedReason} raw={c} /> : null}
              </Td>
              <Td label={e.mode === "fixed" ? "p-value" : "Always-valid p"} className="tabular-nums sm:text-right">
                <DecidingP pValue={d?.pValue} cuped={Boolean(c?.adjusted)} />
              </Td>
              {bandit ? (
                <Td label="Chance of being best" className="tabular-nums sm:text-right">
                  {chance(pBest?.[i] ?? null)}
                </Td>
              ) : null}
              <Td label="Result">
                <Result c={c} goal={primary.goal} />
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
