import { Badge } from "@/components/ui/badge";
import { Table, Td } from "@/components/ui/table";
import { ComparisonHead } from "@/components/experiments/comparison-head";
import { liftWithInterval, metricLabel, metricValue, pCell } from "@/components/experiments/experiment-format";
import { Term } from "@/components/glossary/term";
import type { ExperimentView, Guardrail, ResultsView } from "./types";

/** Each guardrail per variant: the control's and the variant's value, the change, and whether it is a breach. */
export function GuardrailsTable({
  experiment: e,
  results: r,
  guardrails,
}: {
  experiment: ExperimentView;
  results: ResultsView;
  guardrails: Guardrail[];
}) {
  const control = r.arms[0];
  return (
    <Table caption="Guardrails">
      <ComparisonHead
        metric="Guardrail"
        p={
          <Term k="holm" align="right">
            Holm-adjusted p-value
          </Term>
        }
      />
      <tbody>
        {r.guardrails.map((g) => {
          const spec = guardrails.find((x) => x.name === g.metric);
          const kind = spec?.kind ?? "continuous";
          const arm = r.arms.find((a) => a.variant === g.variant);
          const bad = g.direction === "increase_is_bad" ? "must not go up" : "must not go down";
          // Without a lift (the control's value is 0, e.g. no refusals) the absolute change is shown.
          const sign = (g.difference ?? 0) >= 0 ? "+" : "−";
          const change =
            g.lift !== null
              ? liftWithInterval(g.lift, g.ci)
              : g.difference === null
                ? "—"
                : kind === "binary"
                  ? `${sign}${Math.abs(g.difference * 100).toFixed(1)} pp`
                  : `${sign}${metricValue(g.metric, kind, Math.abs(g.difference))}`;
          return (
            <tr
              key={`${g.variant}-${g.metric}`}
              data-testid={`guardrail-${g.variant}-${g.metric}`}
              className={g.breached ? "bg-red-50/70" : undefined}
            >
              <Td>
                <span className="font-medium text-slate-900">{metricLabel(g.metric)}</span>
                <span className="block text-xs text-slate-600">{bad}</span>
              </Td>
              <Td className="font-medium">{g.variant}</Td>
              <Td className="whitespace-nowrap text-right tabular-nums">
                {metricValue(g.metric, kind, control?.metrics[g.metric]?.mean)}
              </Td>
              <Td className="whitespace-nowrap text-right tabular-nums">
                {metricValue(g.metric, kind, arm?.metrics[g.metric]?.mean)}
              </Td>
              <Td className="whitespace-nowrap tabular-nums">{change}</Td>
              <Td className="text-right tabular-nums">{pCell(g.adjustedPValue)}</Td>
              <Td>
                {g.breached ? (
                  <Badge tone="red">breached</Badge>
                ) : g.adjustedPValue === null ? (
                  <span className="text-xs text-slate-600">not enough data</span>
                ) : (
                  <Badge tone="green">holding</Badge>
                )}
              </Td>
            </tr>
          );
        })}
      </tbody>
      {e.status === "draft" ? (
        <tfoot>
          <tr>
            <Td colSpan={7} className="text-xs text-slate-600">
              Watched once the experiment runs.
            </Td>
          </tr>
        </tfoot>
      ) : null}
    </Table>
  );
}
