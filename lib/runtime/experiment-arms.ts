// Which version a subject gets while an experiment runs: a hash of (phase seed, subject) over the
// phase's weights × coverage, within its namespace share (lib/experiments/assign.ts), computed on the cached entry — no await.
// Bandits keep a subject on the variant of its first exposure across reweights, which needs the
// stored assignment (lib/experiments/sticky.ts): the only case that awaits.
import { z } from "zod";
import { compileAssignment, type AssignFn } from "../experiments/assign";
import type { ResolvedExperiment, ResolvedPrompt } from "./load";
import { resolvedDto, resolvedSchema, type ExperimentAnswer } from "./resolve";

export type ArmChoice = Readonly<{ arm: ResolvedPrompt; experiment: ExperimentAnswer; subjectDependent: boolean }>;

// Per cached experiment: its compiled assignment and one frozen choice per variant (in `variants`
// order), shared by every request; per cached entry, its two "no experiment" choices.
type Compiled = { assign: AssignFn; choices: readonly ArmChoice[] };
const compiled = new WeakMap<ResolvedExperiment, Compiled>();
const controls = new WeakMap<ResolvedPrompt, { plain: ArmChoice; unassigned: ArmChoice }>();

function compiledFor(e: ResolvedExperiment): Compiled {
  let c = compiled.get(e);
  if (!c) {
    const choices = e.variants.map((v) =>
      Object.freeze({
        arm: e.arms[v.key]!,
        experiment: Object.freeze(
          e.kind === "rollout"
            ? { id: e.id, variant: v.key, phase: e.phase, rollout: true }
            : { id: e.id, variant: v.key, phase: e.phase },
        ),
        subjectDependent: true,
      }),
    );
    c = {
      assign: compileAssignment({ seed: e.seed, coverage: e.coverage, variants: e.variants, namespace: e.namespace }),
      choices,
    };
    compiled.set(e, c);
  }
  return c;
}

/** The entry itself and no experiment; `subjectDependent` when an experiment runs but this subject is not in it. */
function control(entry: ResolvedPrompt, subjectDependent: boolean): ArmChoice {
  let c = controls.get(entry);
  if (!c) {
    c = {
      plain: Object.freeze({ arm: entry, experiment: null, subjectDependent: false }),
      unassigned: Object.freeze({ arm: entry, experiment: null, subjectDependent: true }),
    };
    controls.set(entry, c);
  }
  return subjectDependent ? c.unassigned : c.plain;
}

/**
 * The arm for a subject, or "sticky" when a bandit's stored assignment must be read first. No
 * subject, or a subject outside coverage or the namespace share: the control, and no experiment. The choice returned is
 * shared between requests (frozen).
 */
export function chooseArm(entry: ResolvedPrompt, subject: string | undefined): ArmChoice | "sticky" {
  const e = entry.experiment;
  if (!e) return control(entry, false);
  if (subject === undefined || subject === "") return control(entry, true);
  if (e.mode === "bandit") return "sticky";
  const c = compiledFor(e);
  const a = c.assign(subject);
  return a ? c.choices[a.index]! : control(entry, true);
}

/** The arm of a variant chosen elsewhere (a bandit's stored assignment). */
export function armOf(entry: ResolvedPrompt, variant: string): ArmChoice {
  const e = entry.experiment!;
  const choice = compiledFor(e).choices.find((c) => c.experiment!.variant === variant);
  return choice ?? control(entry, true);
}

/** The `experimentDefinition` of an answer (experimentDefinitionJson): each arm's content with its key and weight. */
export const experimentDefinitionSchema = z.object({
  id: z.string(),
  phase: z.number().int(),
  phaseStartedAt: z.string(),
  seed: z.string(),
  coverage: z.number(),
  namespace: z.object({ name: z.string(), range: z.tuple([z.number(), z.number()]) }).nullable(),
  mode: z.enum(["fixed", "sequential", "bandit"]),
  kind: z.enum(["experiment", "rollout"]),
  assignment: z.enum(["server", "hash+namespace", "hash"]),
  variants: z.array(
    resolvedSchema
      .omit({ experiment: true, rollout: true, subjectDependent: true, subject: true, resolvedAt: true })
      .extend({ key: z.string(), weight: z.number() }),
  ),
});

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
      const {
        experiment: _e,
        rollout: _o,
        subjectDependent: _d,
        subject: _s,
        resolvedAt: _r,
        ...arm
      } = resolvedDto(e.arms[v.key]!, undefined, at);
      return { key: v.key, weight: v.weight, ...arm };
    });
    json = JSON.stringify({
      id: e.id,
      phase: e.phase,
      phaseStartedAt: e.phaseStartedAt,
      seed: e.seed,
      coverage: e.coverage,
      namespace: e.namespace ?? null,
      mode: e.mode,
      kind: e.kind,
      // Clients that predate namespaces assign only "hash": a namespaced experiment sends them to the server.
      assignment: e.mode === "bandit" ? "server" : e.namespace ? "hash+namespace" : "hash",
      variants,
    });
    definitions.set(e, json);
  }
  return json;
}
