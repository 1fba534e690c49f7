// The paired comparison per scorer: mean difference B − A with its interval, the paired t and
// Wilcoxon p-values, the Holm-adjusted p-value that decides, and the direction. Used by the run
// comparison (items of a dataset) and shadow evaluation (a candidate's answers against live ones).
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { PairedResult } from "@/lib/stats";

type Row = {
  name: string;
  type: string;
  paired: PairedResult & { adjustedPValue: number | null; direction: string; decidedBy: "t" | "wilcoxon" | null };
};

const points = (x: number | null) =>
  x === null ? "—" : `${x > 0 ? "+" : x < 0 ? "−" : ""}${Math.abs(x * 100).toFixed(1)}`;
const p = (x: number | null) => (x === null ? "—" : x < 0.0001 ? "< 0.0001" : x.toFixed(4));

export function PairedTable({
  scorers,
  overall,
  caption = "Paired comparison per scorer (B − A, in points)",
  units = "Items",
  difference = "B − A",
  overallLabel = "Item score (weighted)",
}: {
  scorers: Row[];
  overall: Row["paired"];
  caption?: string;
  /** What a pair is: dataset items, or sampled inputs. */
  units?: string;
  difference?: string;
  overallLabel?: string;
}) {
  const rows: Row[] = [...scorers, { name: overallLabel, type: "", paired: overall }];
  return (
    <Table caption={caption} stack>
      <thead>
        <tr>
          <Th>Scorer</Th>
          <Th>{units}</Th>
          <Th>{difference}</Th>
          <Th>95% CI</Th>
          <Th>Paired t p</Th>
          <Th>Wilcoxon p</Th>
          <Th>Holm p</Th>
          <Th>Verdict</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={r.name} data-testid="paired-row" className={i === scorers.length ? "font-medium" : undefined}>
            <Td label="Scorer">
              <span className="font-mono text-sm">{r.name}</span>
              {r.type ? <span className="ml-1 text-xs text-slate-500">{r.type}</span> : null}
            </Td>
            <Td label={units}>{r.paired.n}</Td>
            <Td label={difference}>{points(r.paired.meanDiff)}</Td>
            <Td label="95% CI">{r.paired.ci ? `[${points(r.paired.ci[0])}, ${points(r.paired.ci[1])}]` : "—"}</Td>
            <Td label="Paired t p">{p(r.paired.tPValue)}</Td>
            <Td label="Wilcoxon p">{p(r.paired.wilcoxonPValue)}</Td>
            <Td label="Holm p">
              {i === scorers.length ? "not in the family" : p(r.paired.adjustedPValue)}
              {r.paired.decidedBy === "wilcoxon" ? (
                <span className="block text-xs text-slate-600">from Wilcoxon (t undefined)</span>
              ) : null}
            </Td>
            <Td label="Verdict">
              {r.paired.direction === "better" ? (
                <Badge tone="green">better</Badge>
              ) : r.paired.direction === "worse" ? (
                <Badge tone="red">worse</Badge>
              ) : (
                <Badge>no significant difference</Badge>
              )}
              {r.paired.note ? <span className="mt-1 block text-xs text-slate-600">{r.paired.note}</span> : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
