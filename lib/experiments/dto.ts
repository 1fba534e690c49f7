// An experiment as the API answers it: the response schema beside its builder (CONTRIBUTING, "Names say what a
// read does"), read from store.ts's Experiment.
import { z } from "zod";
import { experimentModes, metricKinds } from "./definition";
import { namespaceOf } from "./namespaces";
import { currentWeights, type Experiment } from "./store";

const instant = z.iso.datetime({ offset: true });
const jsonObject = z.record(z.string(), z.unknown());

/** An experiment as the API answers it (experimentDto); phases only where the answer read them. */
export const experimentSchema = z.object({
  id: z.string(),
  name: z.string(),
  hypothesis: z.string(),
  prompt: z.string(),
  environment: z.string(),
  status: z.enum(["draft", "running", "stopped"]),
  mode: z.enum(experimentModes),
  bandit: jsonObject.nullable(),
  coverage: z.number(),
  namespace: z.object({ name: z.string(), range: z.tuple([z.number(), z.number()]) }).nullable(),
  variants: z.array(z.object({ key: z.string(), version: z.number().int(), weight: z.number() })),
  primaryMetric: z.object({ name: z.string(), kind: z.enum(metricKinds) }),
  guardrails: z.array(z.object({ name: z.string(), kind: z.enum(metricKinds), direction: z.string() })),
  ratioMetrics: z.array(z.object({ name: z.string(), numerator: z.string(), denominator: z.string() })),
  alpha: z.number(),
  power: z.number(),
  minDetectableEffect: z.number().nullable(),
  baseline: jsonObject.nullable(),
  plannedSamplePerArm: z.number().int().nullable(),
  cupedLookbackDays: z.number().int(),
  seed: z.string(),
  phase: z.number().int(),
  phases: z.array(
    z.object({
      phase: z.number().int(),
      weights: z.record(z.string(), z.number()),
      pBest: z.array(z.number()).nullable(),
      reason: z.string(),
      // What each arm served: {<variant key>: partials `name@version,…`}; the partial's release that began it.
      compositions: z.record(z.string(), z.string()).nullable(),
      deployment: z.number().int().nullable(),
      startedAt: instant,
    }),
  ),
  decision: jsonObject.nullable(),
  createdAt: instant,
  startedAt: instant.nullable(),
  stoppedAt: instant.nullable(),
});

/** What every view of an experiment shows first: which it is and where it runs. */
export const experimentHead = (e: Experiment) => ({
  id: e.id,
  name: e.name,
  hypothesis: e.hypothesis,
  prompt: e.prompt,
  environment: e.environment,
  status: e.status,
  mode: e.mode,
});

/** What every view of an experiment shows last: when it was created, started and stopped (ISO). */
export const experimentTimes = (e: Experiment) => ({
  createdAt: e.createdAt.toISOString(),
  startedAt: e.startedAt?.toISOString() ?? null,
  stoppedAt: e.stoppedAt?.toISOString() ?? null,
});

export function experimentDto(e: Experiment) {
  const weights = currentWeights(e);
  return {
    ...experimentHead(e),
    bandit: e.bandit,
    coverage: e.coverage,
    namespace: namespaceOf(e),
    variants: e.variants.map((v) => ({ key: v.key, version: v.version, weight: weights[v.key] ?? 0 })),
    primaryMetric: e.primaryMetric,
    guardrails: e.guardrails,
    ratioMetrics: e.ratioMetrics,
    alpha: e.alpha,
    power: e.power,
    minDetectableEffect: e.minDetectableEffect,
    baseline: e.baseline,
    plannedSamplePerArm: e.plannedSamplePerArm,
    cupedLookbackDays: e.cupedLookbackDays,
    seed: e.seed,
    phase: e.phase,
    phases: e.phases.map((p) => ({
      phase: p.phase,
      weights: p.weights,
      pBest: p.pBest,
      reason: p.reason,
      compositions: p.compositions,
      deployment: p.deploymentId,
      startedAt: p.startedAt.toISOString(),
    })),
    decision: e.decision,
    ...experimentTimes(e),
  };
}

/** GET /api/v1/experiments. */
export const experimentListResponse = z.object({ data: z.array(experimentSchema) });
