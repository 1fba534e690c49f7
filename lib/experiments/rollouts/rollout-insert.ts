// The parts of starting a guarded rollout that a prompt's rollout and a bundle's share: the options (steps,
// guardrails, margin, reason, confirmations), the checks on one prompt in one environment under its lock
// (something live, another version, nothing else running there, the release plan as for a rollout), and the
// rows (the experiment with its two arms and phase 1, and its audit).
import type { DomainContext } from "../../context";
import { z } from "zod";
import { experimentPhases, experimentVariants, experiments } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import { actorUserId } from "../../context";
import type { PromptRow } from "../../registry/prompts";
import type { EnvironmentRow } from "../../release/environments";
import { liveDeployment } from "../../release/deployments";
import { planFor } from "../../release/plan/plan-facts";
import { personConfirmed } from "../../release/plan/plan-rolled-back";
import type { ReleasePlan } from "../../release/plan/plan";
import { confirmBreakingInput, confirmDependentsInput, confirmRolledBackInput } from "../../release/promote";
import { rolloutStepsInput } from "../../release/rollout-rule";
import type { BundleMark, Guardrail, RolloutState, RolloutStep } from "../contracts";
import { builtInMetrics, metricKinds } from "../definition";
import { assertAloneWhereItRuns } from "../namespaces";
import { DEFAULT_MIN_SAMPLE_PER_ARM, DEFAULT_ROLLOUT_STEPS } from "./rollout-decide";
import { decisionBy, LIVE, NEW } from "./rollout-state";

/** What a rollout watches when the caller names nothing: latency, cost, refusals and feedback. */
export const DEFAULT_ROLLOUT_GUARDRAILS = ["latency_ms", "cost_usd", "refusal", "thumbs"] as const;

const metricName = z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, {
  error: "a guardrail's name must be 1–64 lowercase letters, digits, '_', '.' or '-', starting with a letter",
});
const guardrailInput = z.union(
  [
    metricName,
    z.object({
      name: metricName,
      kind: z.enum(metricKinds, { error: 'guardrail kind must be "binary" or "continuous"' }),
      direction: z.enum(["increase_is_bad", "decrease_is_bad"], {
        error: 'guardrail direction must be "increase_is_bad" or "decrease_is_bad"',
      }),
    }),
  ],
  { error: "each guardrail is a built-in metric's name or {name, kind, direction}" },
);

/** A rollout's options, for a prompt's (rollouts.ts) and a bundle's (bundle-rollouts.ts). */
export const rolloutOptionsInput = z.object({
  environment: z.string({ error: "environment is required" }).min(1).max(36),
  steps: rolloutStepsInput.optional(),
  guardrails: z
    .array(guardrailInput, { error: "guardrails must be a list of metric names or {name, kind, direction}" })
    .min(1, { error: "guardrails must name at least one metric" })
    .max(10, { error: "guardrails must have at most 10 entries" })
    .optional(),
  margin: z
    .number({ error: "margin must be a relative harm, e.g. 0.05 for 5 %" })
    .gt(0, { error: "margin must be above 0 and at most 1" })
    .max(1, { error: "margin must be above 0 and at most 1" })
    .nullable()
    .default(null),
  minSamplePerArm: z
    .number({ error: "minSamplePerArm must be a whole number of subjects" })
    .int({ error: "minSamplePerArm must be a whole number of subjects" })
    .min(1, { error: "minSamplePerArm must be between 1 and 1000000" })
    .max(1_000_000, { error: "minSamplePerArm must be between 1 and 1000000" })
    .default(DEFAULT_MIN_SAMPLE_PER_ARM),
  reason: z.string().max(2000, { error: "reason must be at most 2000 characters" }).default(""),
  confirmBreaking: confirmBreakingInput,
  confirmRolledBack: confirmRolledBackInput,
  confirmDependents: confirmDependentsInput,
});
export type RolloutOptions = z.output<typeof rolloutOptionsInput>;

/** Built-in names become {name, kind, direction}; an unknown bare name is refused, naming the field. */
export function guardrailsOf(input: RolloutOptions["guardrails"]): Guardrail[] {
  const list = input ?? [...DEFAULT_ROLLOUT_GUARDRAILS];
  const out = list.map((g, i): Guardrail => {
    if (typeof g !== "string") return g;
    const known = builtInMetrics[g];
    if (!known)
      throw new AppError(
        "unprocessable",
        `guardrails[${i}]: ${g} is not a built-in metric (${Object.keys(builtInMetrics).join(", ")}); give a metric of your own as {name, kind, direction}.`,
        { field: `guardrails.${i}` },
      );
    return { name: g, kind: known.kind, direction: known.goal === "increase" ? "decrease_is_bad" : "increase_is_bad" };
  });
  const seen = new Set<string>();
  out.forEach((g, i) => {
    if (seen.has(g.name))
      throw new AppError("unprocessable", `guardrails[${i}]: ${g.name} is listed twice.`, { field: `guardrails.${i}` });
    seen.add(g.name);
  });
  return out;
}

/** The steps a rollout takes: the caller's, else the environment's rule's, else the defaults. */
export const stepsFor = (data: RolloutOptions, env: EnvironmentRow): RolloutStep[] =>
  data.steps ?? env.guardedRollout?.steps ?? DEFAULT_ROLLOUT_STEPS.map((s) => ({ ...s }));

/**
 * Under the prompt's lock: what it serves there (409 when nothing, or this version already), nothing else
 * running on it there (409), and its release plan for a rollout of `version`.
 */
export async function rolloutPlan(
  ctx: DomainContext,
  prompt: PromptRow,
  env: EnvironmentRow,
  version: number,
  data: RolloutOptions,
): Promise<{ live: number; plan: ReleasePlan }> {
  const tx = ctx.db;
  const live = await liveDeployment(tx, prompt.id, env.id);
  if (!live)
    throw new AppError(
      "conflict",
      `Nothing of ${prompt.name} is live in ${env.name}: a rollout grows a new version beside a live one; promote version ${version} instead.`,
      { field: "environment", rule: "live", prompt: prompt.name },
    );
  if (live.version === version)
    throw new AppError("conflict", `${env.name} serves version ${version} of ${prompt.name} already.`, {
      field: "version",
      rule: "live",
      prompt: prompt.name,
    });
  await assertAloneWhereItRuns(tx, ctx.projectId, {
    id: "",
    promptId: prompt.id,
    environmentId: env.id,
    prompt: prompt.name,
    environment: env.name,
    namespace: null,
    namespaceStart: null,
    namespaceEnd: null,
  });
  const plan = await planFor(
    tx,
    prompt,
    env,
    version,
    {
      purpose: "rollout",
      confirmBreaking: data.confirmBreaking,
      confirmRolledBack: personConfirmed(ctx.actor, data.confirmRolledBack),
      confirmDependents: data.confirmDependents && ctx.actor.type !== "system",
    },
    // Read above under the same lock: not read again.
    { live: live.version },
  );
  return { live: live.version, plan };
}

type NewRollout = {
  prompt: PromptRow;
  env: EnvironmentRow;
  live: number;
  version: number;
  steps: RolloutStep[];
  guardrails: Guardrail[];
  margin: number | null;
  minSamplePerArm: number;
  reason: string;
  seed: string;
  bundle?: BundleMark;
  now: Date;
};

/** The rollout's state at its first step, with the start as its first decision. */
function startState(ctx: DomainContext, r: NewRollout): RolloutState {
  return {
    version: r.version,
    steps: r.steps,
    step: 0,
    stepStartedAt: r.now.toISOString(),
    paused: false,
    margin: r.margin,
    minSamplePerArm: r.minSamplePerArm,
    decisions: [
      {
        at: r.now.toISOString(),
        step: 0,
        action: "start",
        reason: r.reason || `Started at ${r.steps[0]!.percent} %.`,
        ...decisionBy(ctx.actor),
        guardrails: [],
      },
    ],
  };
}

/** The rollout's rows and its audit (`rollout.start`); returns its id and the audit's sequence number. */
export async function insertRollout(ctx: DomainContext, r: NewRollout): Promise<readonly [string, number]> {
  const tx = ctx.db;
  const first = r.steps[0]!.percent / 100;
  const state = startState(ctx, r);
  const [row] = await tx
    .insert(experiments)
    .values({
      projectId: ctx.projectId,
      promptId: r.prompt.id,
      environmentId: r.env.id,
      name: r.bundle
        ? `Guarded rollout of version ${r.version} (bundle ${r.bundle.name})`
        : `Guarded rollout of version ${r.version}`,
      hypothesis: r.reason,
      kind: "rollout",
      rollout: state,
      bundle: r.bundle ?? null,
      status: "running",
      mode: "sequential",
      primaryMetric: { name: r.guardrails[0]!.name, kind: r.guardrails[0]!.kind },
      guardrails: r.guardrails,
      seed: r.seed,
      phase: 1,
      createdBy: actorUserId(ctx),
      startedAt: r.now,
    })
    .returning({ id: experiments.id });
  const weights = { [LIVE]: 1 - first, [NEW]: first };
  await tx.insert(experimentVariants).values([
    { experimentId: row!.id, key: LIVE, version: r.live, position: 0, weight: weights[LIVE]! },
    { experimentId: row!.id, key: NEW, version: r.version, position: 1, weight: weights[NEW]! },
  ]);
  await tx
    .insert(experimentPhases)
    .values({ experimentId: row!.id, phase: 1, seed: r.seed, weights, reason: "step 1" });
  const seq = await recordAudit(tx, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "rollout.start",
    objectType: "experiment",
    objectId: row!.id,
    after: {
      prompt: r.prompt.name,
      environment: r.env.name,
      version: r.version,
      live: r.live,
      percent: r.steps[0]!.percent,
      reason: r.reason,
      ...(r.bundle ? { bundle: r.bundle } : {}),
    },
  });
  return [row!.id, seq] as const;
}
