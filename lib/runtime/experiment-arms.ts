// Which version a subject gets while an experiment runs: a hash of (phase seed, subject) over the
// phase's weights × coverage (lib/experiments/assign.ts), computed on the cached entry — no await.
// Bandits keep a subject on the variant of its first exposure across reweights, which needs the
// stored assignment (lib/experiments/sticky.ts): the only case that awaits.
import { compileAssignment, type AssignFn } from "../experiments/assign";
import type { ResolvedExperiment, ResolvedPrompt } from "./load";
import { resolvedDto, type ExperimentAnswer } from "./resolve";

const compiled = new WeakMap<ResolvedExperiment, AssignFn>();

function assignFor(e: ResolvedExperiment): AssignFn {
  let fn = compiled.get(e);
  if (!fn) {
    fn = compileAssignment({ seed: e.seed, coverage: e.coverage, variants: e.variants });
    compiled.set(e, fn);
  }
  return fn;
}

export type ArmChoice = { arm: ResolvedPrompt; experiment: ExperimentAnswer; subjectDependent: boolean };

/**
 * The arm for a subject, or "sticky" when a bandit's stored assignment must be read first. No
 * subject, or a subject outside coverage: the control, and no experiment.
 */
export function chooseArm(entry: ResolvedPrompt, subject: string | undefined): ArmChoice | "sticky" {
  const e = entry.experiment;
  if (!e) return { arm: entry, experiment: null, subjectDependent: false };
  if (subject === undefined || subject === "") return { arm: entry, experiment: null, subjectDependent: true };
  if (e.mode === "bandit") return "sticky";
  const a = assignFor(e)(subject);
  if (!a) return { arm: entry, experiment: null, subjectDependent: true };
  return { arm: e.arms[a.key]!, experiment: { id: e.id, variant: a.key, phase: e.phase }, subjectDependent: true };
}

/** The arm of a variant chosen elsewhere (a bandit's stored assignment). */
export function armOf(entry: ResolvedPrompt, variant: string): ArmChoice {
  const e = entry.experiment!;
  const arm = e.arms[variant];
  if (!arm) return { arm: entry, experiment: null, subjectDependent: true };
  return { arm, experiment: { id: e.id, variant, phase: e.phase }, subjectDependent: true };
}

const definitions = new WeakMap<ResolvedExperiment, string>();

/**
 * For SDKs (`include=experiment`): the experiment with every arm's content, so one cached answer
 * serves every subject and the SDK assigns locally with the same function. Bandits are assigned by
 * the server (stored assignments): the SDK asks per subject.
 */
export function experimentDefinitionJson(e: ResolvedExperiment, at: Date): string {
  let json = definitions.get(e);
  if (json === undefined) {
    const variants = e.variants.map((v) => {
      const { experiment: _e, subjectDependent: _d, subject: _s, resolvedAt: _r, ...arm } = resolvedDto(e.arms[v.key]!, undefined, at);
      return { key: v.key, weight: v.weight, ...arm };
    });
    json = JSON.stringify({ id: e.id, phase: e.phase, seed: e.seed, coverage: e.coverage, mode: e.mode, assignment: e.mode === "bandit" ? "server" : "hash", variants });
    definitions.set(e, json);
  }
  return json;
}
