import type { RolloutOverview } from "@/lib/views/rollouts-overview";
import { formatCount, formatP } from "@/components/experiments/experiment-format";
import { Term } from "@/components/glossary/term";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";

type SampleRatio = RolloutOverview["rollout"]["sampleRatio"];

/**
 * The rollout's traffic split check: each subject against the share of the step it arrived at (its ramp is no
 * mismatch), in a sentence, with each step's arrivals and what its share expected.
 */
export function SampleRatio({ check: s, version }: { check: SampleRatio; version: number }) {
  const total = s.subjects.live + s.subjects.new;
  return (
    <div className="flex flex-col gap-3">
      {!s.ok ? (
        <div
          className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
          data-testid="srm-warning"
        >
          <p className="font-semibold">
            <Term k="srm" /> ({formatP(s.pValue ?? 0)})
          </p>
          <p className="mt-1">
            {formatCount(s.subjects.new)} of {formatCount(total)} subjects got version {version}, where the steps’
            shares expected {formatCount(Math.round(s.expected.new))}. Exposures are being lost or assigned outside
            Lectern on one side: the guardrails’ comparison is suspect until that is fixed.
          </p>
        </div>
      ) : (
        <p className="text-sm text-slate-700" data-testid="srm-ok">
          {s.pValue === null
            ? `Not checked yet: the check needs 8 subjects on each version (${formatCount(s.subjects.live)} live, ${formatCount(s.subjects.new)} new so far).`
            : `No traffic split mismatch: ${formatCount(s.subjects.new)} of ${formatCount(total)} subjects got version ${version}, against ${formatCount(Math.round(s.expected.new))} the steps’ shares expected (${formatP(s.pValue)}).`}{" "}
          Each subject counts once, against the share of the step it arrived at, so the ramp itself is never a mismatch.
        </p>
      )}
      {s.steps.some((x) => x.live + x.new > 0) ? (
        <Table caption="Subjects by the step they arrived at" stack>
          <TableHead columns={["Step", "Share", "Arrived: live", "Arrived: new", "New, as the share expects"]} />
          <tbody>
            {s.steps.map((x) => (
              <tr key={x.step} data-testid="srm-step">
                <Td label="Step">{x.step}</Td>
                <Td label="Share">{x.percent} %</Td>
                <Td label="Arrived: live" className="tabular-nums">
                  {formatCount(x.live)}
                </Td>
                <Td label="Arrived: new" className="tabular-nums">
                  {formatCount(x.new)}
                </Td>
                <Td label="New, as the share expects" className="tabular-nums">
                  {formatCount(Math.round(((x.live + x.new) * x.percent) / 100))}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </div>
  );
}
