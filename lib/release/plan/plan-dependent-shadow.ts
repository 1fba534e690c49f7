// A dependent's shadow step in a partial's plan (docs/decisions/partial-releases.md). The environment requires a shadow
// comparison of what it serves, and releasing the partial changes what it serves for the dependent: the dependent's
// live version rendered with the partial's candidate version (a composition candidate of the dependent's online
// rule, answered by the shadow job) must have answered minInputs live inputs with no scorer, nor the
// weighted score, significantly worse than the dependent as served now. The same test and words as the
// version's own step (plan-shadow.ts); the facts: shadow-facts.ts with the partial's version. Pure.
import type { PlanFacts, PlanStep } from "./plan";
import type { Dependent } from "./plan-dependents";
import type { ShadowFacts } from "./shadow-facts";
import { pairsInWords, unevenPairs } from "./shadow-pairing";

const points = (x: number) => `${Math.abs(x * 100).toFixed(1)}`;

export function dependentShadowStep(f: PlanFacts, d: Dependent, s: ShadowFacts): PlanStep {
  const composed = `${d.name} version ${d.serves} with ${f.prompt} version ${f.version}`;
  const live = `${d.name} version ${d.serves} as ${d.environment} serves it`;
  const composition = { version: d.serves, partials: { [f.prompt]: f.version } };
  const enough = s.n >= s.minInputs;
  const met = enough && s.worse.length === 0;
  const worse = s.worse
    .map((w) => `${w.name} by ${points(w.meanDiff)} points${w.ci ? ` [${points(-w.ci[1])}, ${points(-w.ci[0])}]` : ""}`)
    .join(", ");
  const uneven = unevenPairs(s.scorers, s.answered);
  const pairs = pairsInWords(s.scorers, composed);
  // How to name it, in the rule's own input: shadow.versions takes it beside the plain versions.
  const entry = JSON.stringify(composition).replaceAll(":", ": ").replaceAll(",", ", ");
  const detail = s.worse.length
    ? `${composed} scores clearly lower than ${live} in the shadow on ${worse} (${s.n} inputs; paired test, Holm-adjusted${uneven ? `; pairs per scorer: ${pairs}` : ""}).`
    : enough
      ? uneven
        ? `${composed} answered ${s.answered} live inputs in the shadow, ${s.n} compared on every scorer (pairs per scorer: ${pairs}), with no scorer clearly lower than ${live}.`
        : `${composed} answered ${s.n} live inputs in the shadow with no scorer clearly lower than ${live}.`
      : !s.candidate
        ? `${composed} is not a shadow candidate in ${d.environment}: ${s.rule ? `add ${entry} to the shadow candidates of ${d.name}'s online evaluation rule there` : `${d.name} has no online evaluation rule there; create one with ${entry} among its shadow candidates`} (it needs ${s.minInputs} answered inputs).`
        : uneven
          ? `${composed} answered ${s.answered} live inputs in the shadow, but only ${s.n} can be compared with ${live} on every scorer, of the ${s.minInputs} the shadow comparison needs (pairs per scorer: ${pairs}).`
          : `${composed} has answered ${s.n} of the ${s.minInputs} live inputs the shadow comparison needs.`;
  return {
    id: "shadow",
    met,
    title: `A shadow comparison of ${d.name} with ${f.prompt} version ${f.version} with no significant loss (${s.minInputs} inputs)`,
    detail,
    action: met ? null : { kind: "open_shadow", environment: d.environment, prompt: d.name, composition },
    shadow: s,
  };
}
