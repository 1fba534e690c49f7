// Family-wise error control over guardrail metrics.
import padjust from "@stdlib/stats-padjust";

/**
 * Holm step-down adjusted p-values, in input order (same as R p.adjust(p, "holm")). Entries that are
 * null (metric not testable yet) are passed through as null and do not count towards the family size.
 */
export function holm(pValues: readonly (number | null)[]): (number | null)[] {
  const present = pValues.flatMap((p, i) => (p === null ? [] : [i]));
  if (present.length === 0) return pValues.map(() => null);
  const adjusted = padjust(
    present.map((i) => pValues[i]!),
    "holm",
  );
  const out: (number | null)[] = pValues.map(() => null);
  present.forEach((i, k) => (out[i] = adjusted[k]!));
  return out;
}
