// A guarded rollout as callers read it, from the experiment that splits its traffic: its status (derived
// from the experiment's and the decision's), its current share, and its decisions. Pure.
import { z } from "zod";
import type { Actor } from "../../auth/permissions";
import { AppError } from "../../errors";
import { DEFAULT_MIN_SAMPLE_PER_ARM } from "./rollout-decide";
import type { ExperimentDecision, RolloutDecision, RolloutGuardrailReading, RolloutState } from "../contracts";
import type { Experiment } from "../store";

export type RolloutStatus = "running" | "paused" | "completed" | "rolled_back" | "stopped";

/** Variant keys of a rollout's two arms: what the environment served when it started, and the version rolled out. */
export const LIVE = "live";
export const NEW = "new";

/**
 * running or paused while the experiment runs; completed when it shipped the new version; rolled_back when it
 * kept the live one (the rollouts job, a person, or online evaluation); stopped when a deployment of the prompt
 * in the environment ended it (a person released or rolled back meanwhile).
 */
export function rolloutStatus(e: Pick<Experiment, "status" | "decision" | "rollout">): RolloutStatus {
  if (e.status !== "stopped") return e.rollout?.paused ? "paused" : "running";
  const d: ExperimentDecision | null = e.decision;
  if (d && "stoppedBy" in d) return "stopped";
  return d && "ship" in d && d.ship === NEW ? "completed" : "rolled_back";
}

/**
 * An experiment's own moves (new weights, stop and decide) refuse a guarded rollout: its share moves by its steps,
 * through its own endpoints, so that every move is in its decision log. 409 naming them.
 */
export function refuseRollout(e: Pick<Experiment, "id" | "kind">, what: string): void {
  if (e.kind !== "rollout") return;
  const path = `/api/v1/rollouts/${e.id}`;
  throw new AppError(
    "conflict",
    `This is a guarded rollout, not an experiment: it cannot ${what}. Its share moves by its steps: POST ${path}/advance or ${path}/rollback (or /pause, /resume) with a reason, or use its page under Rollouts.`,
    { rule: "rollout", rollout: { id: e.id, path } },
  );
}

/** Who took a decision, as its log keeps it. */
export const decisionBy = (actor: Actor) => ({
  by: actor.type === "system" ? actor.label : actor.label || actor.type,
  automatic: actor.type === "system",
});

export function withDecision(
  state: RolloutState,
  d: Omit<RolloutDecision, "at" | "step" | "guardrails"> & { guardrails?: RolloutGuardrailReading[] },
  at: Date,
  change: Partial<Pick<RolloutState, "step" | "stepStartedAt" | "paused" | "lastCheck">> = {},
): RolloutState {
  return {
    ...state,
    ...change,
    decisions: [...state.decisions, { at: at.toISOString(), step: state.step, guardrails: [], ...d }],
  };
}

/** The share of subjects on the new version now: the current step's while it runs, 100 or 0 once ended. */
export function rolloutPercent(e: Pick<Experiment, "status" | "decision" | "rollout">): number {
  const s = e.rollout!;
  const status = rolloutStatus(e);
  if (status === "completed") return 100;
  if (status === "rolled_back" || status === "stopped") return 0;
  return s.steps[s.step]!.percent;
}

export function rolloutDto(e: Experiment) {
  const s = e.rollout!;
  const live = e.variants.find((v) => v.key === LIVE);
  const status = rolloutStatus(e);
  return {
    id: e.id,
    prompt: e.prompt,
    environment: e.environment,
    version: s.version,
    liveVersion: live?.version ?? null,
    status,
    step: s.step,
    percent: rolloutPercent(e),
    steps: s.steps,
    stepStartedAt: s.stepStartedAt,
    margin: s.margin,
    minSamplePerArm: s.minSamplePerArm ?? DEFAULT_MIN_SAMPLE_PER_ARM,
    guardrails: e.guardrails,
    decisions: s.decisions,
    // The job's latest look while the rollout waits at this step (null before, and once it moved on).
    lastCheck: status === "running" || status === "paused" ? (s.lastCheck ?? null) : null,
    experimentId: e.id,
    /** A bundle's rollout: the bundle, and the group its members' rollouts share (they move together). */
    bundle: e.bundle ?? null,
    startedAt: e.startedAt?.toISOString() ?? null,
    endedAt: e.stoppedAt?.toISOString() ?? null,
  };
}
export type RolloutDto = ReturnType<typeof rolloutDto>;

const instant = z.iso.datetime({ offset: true });
const armReadSchema = z.object({ subjects: z.number().int(), events: z.number().int() });

/** One guardrail as a decision (or the readings so far) read it: the new version against the live one. */
export const rolloutGuardrailReadingSchema = z.object({
  metric: z.string(),
  lift: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  significant: z.boolean(),
  cuped: z.object({ varianceReduction: z.number() }).nullable().optional(),
  // What it rests on, per arm (absent in readings taken before it was kept).
  arms: z.object({ live: armReadSchema, new: armReadSchema }).optional(),
});

/** What a decision read: its snapshot's time, the subjects per arm, the minimum per arm it applied. */
const rolloutReadSchema = z.object({
  at: instant,
  subjects: z.object({ live: z.number().int(), new: z.number().int() }),
  minSamplePerArm: z.number().int(),
});

/** A guarded rollout as rolloutDto answers it (the answers of /api/v1/rollouts and the prompt's rollouts). */
export const rolloutSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  environment: z.string(),
  version: z.number().int(),
  liveVersion: z.number().int().nullable(),
  status: z.enum(["running", "paused", "completed", "rolled_back", "stopped"]),
  step: z.number().int(),
  percent: z.number(),
  steps: z.array(z.object({ percent: z.number(), minMinutes: z.number(), minSubjects: z.number() })),
  stepStartedAt: z.string(),
  margin: z.number().nullable(),
  minSamplePerArm: z.number().int(),
  guardrails: z.array(z.object({ name: z.string(), kind: z.string(), direction: z.string() })),
  decisions: z.array(
    z.object({
      at: z.string(),
      step: z.number().int(),
      action: z.enum(["start", "advance", "complete", "rollback", "pause", "resume", "stopped"]),
      reason: z.string(),
      by: z.string(),
      automatic: z.boolean(),
      guardrails: z.array(rolloutGuardrailReadingSchema),
      read: rolloutReadSchema.optional(),
    }),
  ),
  lastCheck: z
    .object({
      at: instant,
      reason: z.string(),
      guardrails: z.array(rolloutGuardrailReadingSchema),
      read: rolloutReadSchema,
    })
    .nullable(),
  experimentId: z.string(),
  bundle: z.object({ name: z.string(), group: z.string() }).nullable(),
  startedAt: instant.nullable(),
  endedAt: instant.nullable(),
});

/** The answer of starting a rollout and of pausing, resuming, advancing or rolling one back. */
export const rolloutResponse = z.object({ rollout: rolloutSchema });

const _rollout: (e: Experiment) => z.input<typeof rolloutSchema> = rolloutDto;
void _rollout;
