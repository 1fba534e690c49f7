import { Badge } from "@/components/ui/badge";
import { Table, Td } from "@/components/ui/table";
import { ComparisonHead } from "@/components/experiments/comparison-head";
import { liftWithInterval, metricValue, pCell } from "@/components/experiments/experiment-format";
import type { ResultsView } from "./types";

type Ratio = ResultsView["ratios"][number];

/** Better, worse or neither, only when the change is significant; otherwise why there is no reading. */
function status(r: Ratio, c: Ratio["comparisons"][number]) {
  if (c.note && c.difference === null) return <span className="text-xs text-slate-600">{c.note}</span>;
  if (!c.significant) return <Badge tone="gray">no clear difference</Badge>;
  const better = c.difference! > 0 === (r.goal === "increase");
  return better ? <Badge tone="green">better</Badge> : <Badge tone="red">worse</Badge>;
}

/**
 * Each ratio metric per variant: the control's and the variant's Σ numerator / Σ denominator, the change with
 * its interval (delta method, the subject as the unit) and the p-value. Secondary: ratios never decide.
 */
export function RatiosTable({ results: r }: { results: ResultsView }) {
  return (
    <Table caption="Ratio metrics">
      <ComparisonHead metric="Ratio" p="p" />
      <tbody>
        {r.ratios.flatMap((ratio) =>
          ratio.comparisons.map((c) => {
            const control = ratio.arms[0]!;
            const arm = ratio.arms.find((a) => a.variant === c.variant)!;
            return (
              <tr key={`${ratio.name}-${c.variant}`} data-testid={`ratio-${c.variant}-${ratio.name}`}>
                <Td>
                  <span className="font-medium text-slate-900">{ratio.name}</span>
                  <span className="block text-xs text-slate-600">
                    Σ <code>{ratio.numerator}</code> ÷ Σ <code>{ratio.denominator}</code>,{" "}
                    {ratio.goal === "increase" ? "higher is better" : "lower is better"}
                  </span>
                </Td>
                <Td className="font-medium">{c.variant}</Td>
                <Td className="whitespace-nowrap text-right tabular-nums">
                  {metricValue(ratio.numerator, "continuous", control.ratio)}
                  <span className="block text-xs text-slate-600">{control.n} subjects</span>
                </Td>
                <Td className="whitespace-nowrap text-right tabular-nums">
                  {metricValue(ratio.numerator, "continuous", arm.ratio)}
                  <span className="block text-xs text-slate-600">{arm.n} subjects</span>
                </Td>
                <Td className="whitespace-nowrap tabular-nums">{liftWithInterval(c.lift, c.ci)}</Td>
                <Td className="text-right tabular-nums">{pCell(c.pValue)}</Td>
                <Td>{status(ratio, c)}</Td>
              </tr>
            );
          }),
        )}
      </tbody>
    </Table>
  );
}
