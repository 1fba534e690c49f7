// Guarded rollouts (issue 43): a version reaches an environment step by step (default 5 → 25 → 50 → 100 %),
// as the "new" arm of an experiment whose control ("live") is what the environment serves. Subjects are
// assigned by the experiments' hashing with one seed for every step, so a subject on the new version stays
// on it as the share grows; requests without a subject get the live version until 100 %. The rollouts job
// (rollout-job.ts) reads the guardrails each minute and advances, completes or rolls back
// (rollout-decide.ts); people pause, resume, advance or roll back (rollout-control.ts).
//
// Here: starting one. The release plan must be met first (review, gate, shadow, dependents; the version
// will become the environment's deployment), and no experiment or other rollout may run on the prompt there.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { experimentPhases, experimentVariants, experiments, prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { authorize, deployAction } from "../auth/permissions";
import { AppError, isUniqueViolation } from "../errors";
import { actorUserId } from "../registry/context";
import { versionNumber } from "../registry/numbers";
import { getPrompt } from "../registry/prompts";
import { liveDeployment, type ReleaseContext } from "../release/deployments";
import { getEnvironment } from "../release/environments";
import { rolloutStepsInput } from "../release/rollout-rule";
import { planRefusal } from "../release/plan";
import { planFor } from "../release/plan-facts";
import { personConfirmed } from "../release/plan-rolled-back";
import { confirmBreakingInput, confirmDependentsInput, confirmRolledBackInput } from "../release/promote";
import { parseInput } from "../validation";
import type { Guardrail, RolloutState } from "./contracts";
import { builtInMetrics, metricKinds } from "./definition";
import { assertAloneWhereItRuns, runningElsewhere } from "./namespaces";
import { announce } from "./phase";
import { DEFAULT_ROLLOUT_STEPS } from "./rollout-decide";
import { decisionBy, LIVE, NEW, rolloutDto } from "./rollout-state";
import { getExperiment } from "./store";

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
export const createRolloutInput = z.object({
  environment: z.string({ error: "environment is required" }).min(1).max(36),
  version: versionNumber("version"),
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
  reason: z.string().max(2000, { error: "reason must be at most 2000 characters" }).default(""),
  confirmBreaking: confirmBreakingInput,
  confirmRolledBack: confirmRolledBackInput,
  confirmDependents: confirmDependentsInput,
});

/** Built-in names become {name, kind, direction}; an unknown bare name is refused, naming the field. */
function guardrailsOf(input: z.output<typeof createRolloutInput>["guardrails"]): Guardrail[] {
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

export async function createRollout(ctx: ReleaseContext, promptName: string, input: unknown) {
  const data = parseInput(createRolloutInput, input);
  const guardrails = guardrailsOf(data.guardrails);
  const prompt = await getPrompt(ctx.db, ctx.projectId, promptName);
  const env = await getEnvironment(ctx.db, ctx.projectId, data.environment).catch((e: unknown) => {
    throw e instanceof AppError && e.code === "not_found"
      ? new AppError("unprocessable", e.message, { field: "environment" })
      : e;
  });
  // The environment's guarded-rollout rule gives its steps when the caller names none.
  const steps = data.steps ?? env.guardedRollout?.steps ?? DEFAULT_ROLLOUT_STEPS.map((s) => ({ ...s }));
  authorize(ctx.actor, deployAction(env));
  authorize(ctx.actor, "experiment.manage");
  const now = ctx.now?.() ?? new Date();
  const where = { prompt: prompt.name, environment: env.name };
  let id = "";
  let seq = 0;
  try {
    [id, seq] = await ctx.db.transaction(async (tx) => {
      // The lock every deployment of this prompt takes: nothing is released here while the rollout starts.
      await tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, prompt.id)).for("update");
      const live = await liveDeployment(tx, prompt.id, env.id);
      if (!live)
        throw new AppError(
          "conflict",
          `Nothing of ${prompt.name} is live in ${env.name}: a rollout grows a new version beside a live one; promote version ${data.version} instead.`,
          { field: "environment", rule: "live" },
        );
      if (live.version === data.version)
        throw new AppError("conflict", `${env.name} serves version ${data.version} already.`, {
          field: "version",
          rule: "live",
        });
      await assertAloneWhereItRuns(tx, ctx.projectId, {
        id: "",
        promptId: prompt.id,
        environmentId: env.id,
        ...where,
        namespace: null,
        namespaceStart: null,
        namespaceEnd: null,
      });
      const plan = await planFor(tx, prompt, env, data.version, {
        purpose: "rollout",
        confirmBreaking: data.confirmBreaking,
        confirmRolledBack: personConfirmed(ctx.actor, data.confirmRolledBack),
        confirmDependents: data.confirmDependents && ctx.actor.type !== "system",
      });
      if (plan.status === "blocked") {
        const refusal = planRefusal(plan);
        throw new AppError("plan_unmet", `A rollout starts only when the release plan is met. ${refusal.message}`, {
          ...refusal.details,
          plan,
        });
      }
      const first = steps[0]!.percent / 100;
      const state: RolloutState = {
        version: data.version,
        steps,
        step: 0,
        stepStartedAt: now.toISOString(),
        paused: false,
        margin: data.margin,
        decisions: [
          {
            at: now.toISOString(),
            step: 0,
            action: "start",
            reason: data.reason || `Started at ${steps[0]!.percent} %.`,
            ...decisionBy(ctx.actor),
            guardrails: [],
          },
        ],
      };
      const seed = randomBytes(8).toString("hex");
      const [row] = await tx
        .insert(experiments)
        .values({
          projectId: ctx.projectId,
          promptId: prompt.id,
          environmentId: env.id,
          name: `Guarded rollout of version ${data.version}`,
          hypothesis: data.reason,
          kind: "rollout",
          rollout: state,
          status: "running",
          mode: "sequential",
          primaryMetric: { name: guardrails[0]!.name, kind: guardrails[0]!.kind },
          guardrails,
          seed,
          phase: 1,
          createdBy: actorUserId(ctx),
          startedAt: now,
        })
        .returning({ id: experiments.id });
      const weights = { [LIVE]: 1 - first, [NEW]: first };
      await tx.insert(experimentVariants).values([
        { experimentId: row!.id, key: LIVE, version: live.version, position: 0, weight: weights[LIVE]! },
        { experimentId: row!.id, key: NEW, version: data.version, position: 1, weight: weights[NEW]! },
      ]);
      await tx.insert(experimentPhases).values({ experimentId: row!.id, phase: 1, seed, weights, reason: "step 1" });
      const s = await recordAudit(tx, {
        projectId: ctx.projectId,
        actor: ctx.actor,
        action: "rollout.start",
        objectType: "experiment",
        objectId: row!.id,
        after: { ...where, version: data.version, live: live.version, percent: steps[0]!.percent, reason: data.reason },
      });
      return [row!.id, s] as const;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw runningElsewhere(where);
    throw err;
  }
  const e = await getExperiment(ctx.db, ctx.projectId, id);
  await announce(ctx, e, seq);
  return rolloutDto(e);
}
