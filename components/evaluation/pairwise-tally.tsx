// A pairwise judge's verdicts of run B against run A: items won, tied and lost, the answers whose
// verdict changed when the order was swapped (counted as ties), and the sign test of wins against losses.
import { Table, Td, Th } from "@/components/ui/table";
import type { PairwiseTally } from "@/lib/scorers";

const p = (x: number | null) => (x === null ? "—" : x < 0.0001 ? "< 0.0001" : x.toFixed(4));

export function PairwiseTallyTable({ judges }: { judges: (PairwiseTally & { judged: "a" | "b" })[] }) {
  return (
    <Table caption="Pairwise judge: B against A, per item (both orders asked; a changed verdict is a tie)" stack>
      <thead>
        <tr>
          <Th>Judge</Th>
          <Th>Items</Th>
          <Th>B wins</Th>
          <Th>Ties</Th>
          <Th>B loses</Th>
          <Th>Order flips</Th>
          <Th>Sign test p</Th>
        </tr>
      </thead>
      <tbody>
        {judges.map((j) => (
          <tr key={j.name} data-testid="pairwise-row">
            <Td label="Judge">
              <span className="font-mono text-sm">{j.name}</span>
              <span className="block text-xs text-slate-600">
                judged run {j.judged.toUpperCase()} against its baseline
                {j.errors ? ` · ${j.errors} answer${j.errors === 1 ? "" : "s"} not judged` : ""}
              </span>
            </Td>
            <Td label="Items">{j.items}</Td>
            <Td label="B wins">{j.wins}</Td>
            <Td label="Ties">{j.ties}</Td>
            <Td label="B loses">{j.losses}</Td>
            <Td label="Order flips">{j.flips}</Td>
            <Td label="Sign test p">{p(j.signPValue)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
