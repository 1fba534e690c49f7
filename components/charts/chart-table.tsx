import type { ReactNode } from "react";
import { Table, Td, Th } from "@/components/ui/table";

export type ChartTableRow = { key: string; cells: ReactNode[] };

type Props = {
  caption: string;
  head: string[];
  rows: ChartTableRow[];
  note?: ReactNode;
};

/**
 * The numbers behind a chart as a table, folded under "Table view": the chart's text alternative for
 * screen readers and for anyone who wants the exact values. The first column is the x value.
 */
export function ChartTable(props: Props) {
  return (
    <details className="text-sm" data-testid="chart-table">
      <summary className="w-fit cursor-pointer rounded text-slate-700 hover:text-slate-900">
        Table view <span className="sr-only">of {props.caption.toLowerCase()}</span>
      </summary>
      <div className="mt-2 flex flex-col gap-1.5">
        <ChartNumbers {...props} />
      </div>
    </details>
  );
}

/** The same table unfolded, for a chart whose numbers are read beside it (the experiment's lift). */
export function ChartNumbers({ caption, head, rows, note }: Props) {
  return (
    <>
      <Table caption={caption} stack>
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
          {rows.map((r) => (
            <tr key={r.key}>
              {r.cells.map((c, i) => (
                <Td
                  key={i}
                  label={head[i]}
                  className={i ? "whitespace-nowrap text-right tabular-nums" : "whitespace-nowrap text-xs"}
                >
                  {c}
                </Td>
              ))}
            </tr>
          ))}
        </tbody>
      </Table>
      {note ? <p className="text-xs text-slate-600">{note}</p> : null}
    </>
  );
}
