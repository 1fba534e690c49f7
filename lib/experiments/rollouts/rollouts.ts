// Guarded rollouts (docs/decisions/guarded-rollouts.md): a version reaches an environment step by step (default 5 → 25
// → 50 → 100 %), as the "new" arm of an experiment whose control ("live") is what the environment serves. Subjects are
// assigned by the experiments' hashing with one seed for every step, so a subject on the new version stays
// on it as the share grows; requests without a subject get the live version until 100 %. The rollouts job
// (rollout-job.ts) reads the guardrails each minute and advances, completes or rolls back
// (rollout-decide.ts); people pause, resume, advance or roll back (rollout-control.ts).
//
// Here: starting one. The release plan must be met first (review, gate, shadow, dependents; the version
// will become the environment's deployment), and no experiment or other rollout may run on the prompt there.
import { withTx, type DomainContext } from "../../context";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { prompts } from "../../../db/schema";
import { AppError, isUniqueViolation } from "../../errors";
import { versionNumber } from "../../number-params";
import { getPrompt } from "../../registry/prompts";
import { notSplitBySubject } from "../../registry/version-rows";
import { getRequestEnvironment } from "../../release/request-environments";
import { describeComposing } from "../../release/composing";
import { planRefusal } from "../../release/plan/plan";
import type { ComposingChoice } from "../../release/plan/plan-composing";
import { parseInput } from "../../validation";
import { runningElsewhere } from "../namespaces";
import { announce } from "../phase";
import { guardrailsOf, insertRollout, rolloutOptionsInput, rolloutPlan, stepsFor } from "./rollout-insert";
import { rolloutDto } from "./rollout-state";
import { getExperiment } from "../store";

export { DEFAULT_ROLLOUT_GUARDRAILS } from "./rollout-insert";

export const createRolloutInput = rolloutOptionsInput.extend({ version: versionNumber("version") });

export async function startRollout(ctx: DomainContext, promptName: string, input: unknown) {
  const data = parseInput(createRolloutInput, input);
  const guardrails = guardrailsOf(data.guardrails);
  const prompt = await getPrompt(ctx.db, ctx.projectId, promptName);
  if (prompt.skillName !== null) throw notSplitBySubject(prompt.name);
  const env = await getRequestEnvironment(ctx, data.environment).catch((e: unknown) => {
    throw e instanceof AppError && e.code === "not_found"
      ? new AppError("unprocessable", e.message, { field: "environment" })
      : e;
  });
  // The environment's guarded-rollout rule gives its steps when the caller names none.
  const steps = stepsFor(data, env);
  const now = ctx.now?.() ?? new Date();
  const where = { prompt: prompt.name, environment: env.name };
  let id = "";
  let seq = 0;
  try {
    [id, seq] = await ctx.db.transaction(async (tx) => {
      // The lock every deployment of this prompt takes: nothing is released here while the rollout starts.
      await tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, prompt.id)).for("update");
      const { live, plan } = await rolloutPlan(withTx(ctx, tx), prompt, env, data.version, data);
      if (plan.status === "blocked") {
        const { message, details } = startRefusal(planRefusal(plan));
        throw new AppError("plan_unmet", `A rollout starts only when the release plan is met. ${message}`, {
          ...details,
          plan,
        });
      }
      const seed = randomBytes(8).toString("hex");
      const { version, margin, minSamplePerArm, reason } = data;
      const rollout = { prompt, env, live, version, steps, guardrails, margin, minSamplePerArm, reason, seed, now };
      return insertRollout(withTx(ctx, tx), rollout);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw runningElsewhere(where);
    throw err;
  }
  const e = await getExperiment(ctx.db, ctx.projectId, id);
  await announce(ctx, e, seq);
  return rolloutDto(e);
}

/**
 * What a refused start says. A release's refusal under running experiments asks for experimentAction; a rollout's
 * start takes none (the choice would be its completion's, minutes or days later), so it says what to do instead.
 */
function startRefusal(
  refusal: ReturnType<typeof planRefusal>,
): Pick<ReturnType<typeof planRefusal>, "message" | "details"> {
  if (refusal.code !== "experiment_running") return refusal;
  const { field: _asked, ...details } = refusal.details;
  const held = details.experiments as ComposingChoice["experiments"];
  const names = held.map(describeComposing).join(" and ");
  const plan = details.plan as { prompt: string; environment: string };
  return {
    message: `${names.charAt(0).toUpperCase()}${names.slice(1)} runs in ${plan.environment} and includes ${plan.prompt}: this rollout's completion would change what it serves mid-experiment, and a rollout's start cannot choose for it. Stop it first, or start the rollout once it has ended.`,
    details: { ...details, rule: "experimentRunning" },
  };
}
