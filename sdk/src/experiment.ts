// A running experiment held by one cached answer: subjects are assigned here with the server's own
// function (GrowthBook hash v2 of phase seed and subject over the weights × coverage, within the
// experiment's namespace share), so one entry
// serves every subject with no request per subject. Each variant is compiled once.
import { compileAssignment, type AssignFn } from "../../lib/experiments/assign";
import { asPublic, deepFreeze, promptFromResponse, type PromptImpl } from "./prompt";
import type { Experiment, ExperimentDefinition, Prompt, PromptSource, ResolveResponse } from "./types";

type Arm = { prompt: PromptImpl; promise: Promise<Prompt>; experiment: Experiment };

export class LocalExperiment {
  private readonly assign: AssignFn;
  private readonly arms = new Map<string, Arm>();

  constructor(
    readonly definition: ExperimentDefinition,
    private readonly base: ResolveResponse,
    private readonly source: PromptSource,
  ) {
    this.assign = compileAssignment({
      seed: definition.seed,
      coverage: definition.coverage,
      variants: definition.variants,
      namespace: definition.namespace ?? null,
    });
  }

  /** The subject's variant, or null when it is outside the experiment (it then gets the control). */
  choose(subject: string): Arm | null {
    const a = this.assign(subject);
    if (!a) return null;
    let arm = this.arms.get(a.key);
    if (!arm) {
      const v = this.definition.variants[a.index]!;
      const experiment = deepFreeze({ id: this.definition.id, variant: v.key, phase: this.definition.phase });
      const { key: _k, weight: _w, ...fields } = v;
      const response = deepFreeze({
        ...fields,
        experiment,
        rollout: this.definition.kind === "rollout" ? { id: this.definition.id, arm: v.key } : null,
        subjectDependent: true,
        subject: null,
        resolvedAt: this.base.resolvedAt,
      } as ResolveResponse);
      const prompt = promptFromResponse(response, this.source);
      arm = { prompt, promise: Promise.resolve(asPublic(prompt)), experiment };
      this.arms.set(a.key, arm);
    }
    return arm;
  }
}

/** A local experiment for an answer that carries one the client can assign itself (not a bandit's stored assignments). */
export function localExperiment(response: ResolveResponse, source: PromptSource): LocalExperiment | undefined {
  const d = response.experimentDefinition;
  const local = d?.assignment === "hash" || (d?.assignment === "hash+namespace" && d.namespace);
  return d && local && Array.isArray(d.variants) && d.variants.length > 1
    ? new LocalExperiment(d, response, source)
    : undefined;
}
