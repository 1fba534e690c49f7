// A partial's own shadow step (docs/decisions/partial-releases.md). Where the environment requires a shadow comparison,
// nothing ever answers for a partial on its own: it is rendered inside the prompts that include it. So where it has
// dependents there, its shadow step is judged through them: met when every dependent's shadow step (the
// dependent's live version rendered with the partial's candidate version: plan-dependent-shadow.ts) is met,
// or when a person overrode the dependents' rules (the dependents step records it); unmet with what they
// still miss, pointing at their steps (which carry the actions). Whether applications also resolve the
// partial on its own cannot be known from the data: the plan says the dependents' comparisons stand for it.
// With no dependents there, or none with a shadow step, the step is the version's own (plan-shadow.ts). Pure.
import type { PlanFacts, PlanStep } from "./plan";
import type { DependentPlan } from "./plan-dependents";
import { shadowStep } from "./plan-shadow";
import type { ShadowFacts } from "./shadow-facts";

/** "a", "a and b", "a, b and c" */
const andList = (xs: string[]) => (xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);

export function partialShadowStep(
  f: PlanFacts,
  s: ShadowFacts,
  servedBefore: boolean,
  dependents: DependentPlan[],
  overridden: boolean,
): PlanStep {
  const through = dependents.flatMap((d) => {
    const step = d.steps.find((x) => x.id === "shadow");
    return step ? [{ name: d.name, step }] : [];
  });
  if (servedBefore || !through.length) return shadowStep(f, s, servedBefore);
  const one = through.length === 1;
  const unmet = through.filter((d) => !d.step.met);
  const title = `A shadow comparison with no significant loss, through the prompts that include ${f.prompt} (${s.minInputs} inputs)`;
  const standFor = `${f.prompt} is served inside ${andList(through.map((d) => d.name))}: ${one ? "its" : "their"} shadow comparison${one ? "" : "s"} with version ${f.version} stand${one ? "s" : ""} for it`;
  if (!unmet.length) return { id: "shadow", met: true, title, detail: `${standFor}.`, action: null };
  const whose = andList(unmet.map((d) => `${d.name}'s`));
  if (overridden)
    return {
      id: "shadow",
      met: true,
      title,
      detail: `${standFor}; a person's override released it past ${whose} (recorded with the deployment).`,
      action: null,
    };
  const missing = unmet.map((d) => d.step.detail.replace(/\.$/, "")).join("; ");
  const see = unmet.length === 1 ? "its shadow step among the dependents" : "their shadow steps among the dependents";
  return {
    id: "shadow",
    met: false,
    title,
    detail: `${standFor}, and ${whose} ${unmet.length === 1 ? "is" : "are"} not met yet (${see}): ${missing}.`,
    // The dependents' own steps say what to do; the dependents step offers the override.
    action: null,
  };
}
