import { liftWithInterval, pCell } from "./experiment-format";

/** The CUPED-adjusted numbers of one comparison, as the results DTO carries them. */
export type AdjustedView = {
  lift: number | null;
  ci: readonly [number, number] | null;
  pValue: number | null;
  varianceReduction: number;
  lookbackDays: number;
  covariate: { subjects: number; subjectsWithHistory: number };
};

const explanation = (a: AdjustedView) =>
  `Adjusted for what each subject did before the experiment (CUPED). For the ${a.covariate.subjectsWithHistory} of ` +
  `${a.covariate.subjects} subjects with events of this metric in the ${a.lookbackDays} days before their first ` +
  "exposure, the part of their result that their own history already predicts is taken out; the others keep " +
  "their raw value. Assignment is random, so the estimate stays fair, but the noise shrinks and the interval " +
  "narrows: the same traffic gives a surer answer. The call (the result, the winner and the verdict) rests on " +
  "these adjusted numbers.";

/**
 * Beside the deciding (CUPED-adjusted) lift: "variance reduced by 46 % · unadjusted +3.1% (−0.4% to +6.8%)", with
 * the why on hover; one p-value per comparison is shown, the deciding one, so this line carries none.
 */
export function CupedLine({
  adjusted,
  reason,
  raw,
}: {
  adjusted?: AdjustedView | null;
  reason?: string | null;
  raw: { lift: number | null; ci: readonly [number, number] | null };
}) {
  if (!adjusted)
    return reason ? (
      <span className="block text-xs text-slate-500" title={`No CUPED adjustment: ${reason}.`}>
        CUPED: not applicable
      </span>
    ) : null;
  return (
    <span className="block text-xs whitespace-normal text-slate-600" title={explanation(adjusted)} data-testid="cuped">
      <span className="font-medium text-emerald-700">
        CUPED: variance reduced by {Math.max(0, Math.round(adjusted.varianceReduction))} %
      </span>{" "}
      · unadjusted {liftWithInterval(raw.lift, raw.ci)}
    </span>
  );
}

/** The comparison's one p-value: the deciding one, named when it is CUPED's. */
export function DecidingP({ pValue, cuped }: { pValue: number | null | undefined; cuped: boolean }) {
  return (
    <>
      {pCell(pValue)}
      {cuped ? <span className="block text-xs text-slate-500">CUPED</span> : null}
    </>
  );
}
