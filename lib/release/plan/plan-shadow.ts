// The release plan's shadow step (requiresShadow): the version answered at least minInputs live inputs
// of the environment's live version in the shadow, compared on every scorer (n is the smallest
// per-scorer count of pairs; a scorer error on the version's answer counts as a loss: shadow-pairing.ts),
// with no scorer, nor the weighted score, significantly worse (the facts: shadow-facts.ts). An experiment
// may serve a version the environment served before.
import type { PlanFacts, PlanStep } from "./plan";
import type { ShadowFacts } from "./shadow-facts";
import { pairsInWords, unevenPairs } from "./shadow-pairing";

const points = (x: number) => `${Math.abs(x * 100).toFixed(1)}`;

export function shadowStep(f: PlanFacts, s: ShadowFacts, servedBefore: boolean): PlanStep {
  const v = f.version;
  const live = f.live;
  const enough = s.n >= s.minInputs;
  const met = servedBefore || (enough && s.worse.length === 0);
  const worse = s.worse
    .map((w) => `${w.name} by ${points(w.meanDiff)} points${w.ci ? ` [${points(-w.ci[1])}, ${points(-w.ci[0])}]` : ""}`)
    .join(", ");
  // The pairs per scorer, whenever they say more than "n inputs".
  const uneven = unevenPairs(s.scorers, s.answered);
  const pairs = pairsInWords(s.scorers, `version ${v}`);
  const detail = servedBefore
    ? `${f.environment.name} served version ${v} before.`
    : s.worse.length
      ? `Version ${v} scores clearly lower than live version ${live} in the shadow on ${worse} (${s.n} inputs; paired test, Holm-adjusted${uneven ? `; pairs per scorer: ${pairs}` : ""}).`
      : enough
        ? uneven
          ? `Version ${v} answered ${s.answered} live inputs in the shadow, ${s.n} compared on every scorer (pairs per scorer: ${pairs}), with no scorer clearly lower than version ${live}.`
          : `Version ${v} answered ${s.n} live inputs in the shadow with no scorer clearly lower than version ${live}.`
        : !s.candidate
          ? `Version ${v} is not a shadow candidate in ${f.environment.name}: name it in the online evaluation rule's shadow candidates (it needs ${s.minInputs} answered inputs).`
          : uneven
            ? `Version ${v} answered ${s.answered} live inputs in the shadow, but only ${s.n} can be compared with version ${live} on every scorer, of the ${s.minInputs} the shadow comparison needs (pairs per scorer: ${pairs}).`
            : `Version ${v} has answered ${s.n} of the ${s.minInputs} live inputs the shadow comparison needs.`;
  return {
    id: "shadow",
    met,
    title: `A shadow comparison with no significant loss (${s.minInputs} inputs)`,
    detail,
    action: met ? null : { kind: "open_shadow", environment: f.environment.name },
    shadow: s,
  };
}
