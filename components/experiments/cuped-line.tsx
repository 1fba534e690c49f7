import { liftWithInterval, pCell } from "./format";

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

/** "CUPED +4.8% (+1.9% to +7.7%) · p 0.004 · variance reduced by 46 %", with the why on hover. */
export function CupedLine({ adjusted, reason }: { adjusted?: AdjustedView | null; reason?: string | null }) {
  if (!adjusted)
    return reason ? (
      <span className="block text-xs text-slate-500" title={`No CUPED adjustment: ${reason}.`}>
        CUPED: not applicable
      </span>
    ) : null;
  return (
    <span className="block text-xs whitespace-normal text-slate-600" title={explanation(adjusted)} data-testid="cuped">
      CUPED {liftWithInterval(adjusted.lift, adjusted.ci)} · p {pCell(adjusted.pValue)} ·{" "}
      <span className="font-medium text-emerald-700">
        variance reduced by {Math.max(0, Math.round(adjusted.varianceReduction))} %
      </span>
    </span>
  );
}
