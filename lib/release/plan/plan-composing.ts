// The release plan's `experiments` step (docs/decisions/compositions.md): a release of a partial that changes what a
// running experiment's arms serve waits for the person's choice — a new phase of the experiment, or its stop (a guarded
// rollout can only be stopped, or the release waits until it ends). The facts are ../composing.ts's, read under the
// lock by deploy() too, so the dialogs ask exactly what the release refuses.
import { describeComposing, type ComposingExperiment, type ExperimentAction } from "../composing";
import type { PlanStep } from "./plan";

/** What the dialogs offer: each experiment, and whether "a new phase" is a choice (no rollout among them). */
export type ComposingChoice = {
  /** `owner`: who created it (with approvers, the only ones who may move it to a new phase or stop it). */
  experiments: { id: string; name: string; kind: ComposingExperiment["kind"]; prompt: string; owner: string | null }[];
  newPhase: boolean;
};

export function composingStep(
  f: {
    prompt: string;
    version: number;
    live: number | null;
    environment: { name: string };
    composing?: ComposingExperiment[];
  },
  choice: ExperimentAction | undefined,
): PlanStep | null {
  const list = f.composing ?? [];
  if (!list.length || f.live === f.version) return null;
  const names = list.map(describeComposing).join(" and ");
  const rollouts = list.filter((e) => e.kind === "rollout");
  const met = choice === "stop" || (choice === "new_phase" && !rollouts.length);
  const arms = list
    .flatMap((e) =>
      e.arms.filter((a) => a.before !== a.after).map((a) => `${e.prompt} v${a.version} (${e.name}, arm ${a.key})`),
    )
    .join(", ");
  const env = f.environment.name;
  return {
    id: "experiments",
    met,
    title: "A choice for the experiments it changes",
    detail: met
      ? choice === "stop"
        ? `This release stops ${names}, whose arms include ${f.prompt}.`
        : `This release begins a new phase of ${names}: its results are read per phase from here.`
      : `${names} runs in ${env} and includes ${f.prompt}: version ${f.version} would change what ${arms || "its arms"} serve${list.length > 1 ? "" : "s"} mid-experiment. ${
          rollouts.length
            ? "A guarded rollout cannot begin a new phase: stop it, or let this release wait until it ends."
            : "Start a new phase (results are read per phase) or stop it."
        }`,
    action: met
      ? null
      : {
          kind: "choose_experiment_action",
          experiments: list.map(({ id, name, kind, prompt, owner }) => ({ id, name, kind, prompt, owner })),
          newPhase: !rollouts.length,
        },
  };
}
