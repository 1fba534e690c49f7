// Promotion: an environment starts serving a version. Parses the input (who may deploy where is the wrapper's
// check: the endpoint's permission and deployTarget rule, lib/server/http/endpoints/resource-rules.ts), then checks the
// version's release plan (plan/plan.ts) inside the prompt's lock and writes the deployment, its audit row
// and the stop of a running experiment in one transaction, announcing it after commit. Promoting the
// version the environment serves already writes nothing and answers "already_live" (deploy()). The REST
// API, the UI, Langfuse labels, an approved review, an experiment's ship and auto-promote all come
// through here, so they refuse the same promotions with the same plan in the error's details.
import { withTx, type DomainContext } from "../context";
import { z } from "zod";
import { authorize, can, deployPermission, type Actor } from "../auth/permissions";
import { AppError } from "../errors";
import { versionNumber } from "../number-params";
import { getPrompt, type PromptRow } from "../registry/prompts";
import { getVersion } from "../registry/versions";
import { parseInput } from "../validation";
import { experimentActionInput } from "./composing";
import { deploy, type AuditExtra, type BundleMark, type DeployOutcome } from "./deployments";
import { environmentNameSchema, getEnvironmentRow, type EnvironmentRow } from "./environments";
import { getRequestEnvironment } from "./request-environments";
import { planFor } from "./plan/plan-facts";
import { personConfirmed } from "./plan/plan-rolled-back";
import { assertMayEndExperiments } from "./plan/experiment-end-rule";
import { planRefusal, type PlanPurpose, type ReleasePlan } from "./plan/plan";

export const reasonInput = z.string().max(1000, { error: "reason must be at most 1000 characters" }).default("");

/**
 * A protected environment takes changes that break its callers only when the caller confirms them:
 * `true` (the API: "I know"), or the keys of the changes the person saw (the UI), so a confirmation
 * given for one diff does not cover another.
 */
export const confirmBreakingInput = z
  .union([z.boolean(), z.array(z.string().max(200)).max(200)], {
    error: "confirmBreaking must be true, false or a list of change keys",
  })
  .default(false);

/** "I know this version was rolled back here": counts from a person (session or key), never from a job. */
export const confirmRolledBackInput = z.boolean({ error: "confirmRolledBack must be true or false" }).default(false);

/**
 * "Release this partial although prompts that include it do not pass their own rules yet": a person's
 * override, allowed to those who may deploy to protected environments, and recorded with the deployment.
 */
export const confirmDependentsInput = z.boolean({ error: "confirmDependents must be true or false" }).default(false);

export const promoteInput = z.object({
  environment: environmentNameSchema,
  version: versionNumber(),
  reason: reasonInput,
  confirmBreaking: confirmBreakingInput,
  confirmRolledBack: confirmRolledBackInput,
  confirmDependents: confirmDependentsInput,
  /** What happens to experiments running on prompts that include this one, whose arms it changes. */
  experimentAction: experimentActionInput,
});

/** The dependents override counts from a person who may deploy to protected environments; 403 for others who ask. */
export function dependentsOverride(actor: Actor, confirmed: boolean): boolean {
  if (!confirmed || actor.type === "system") return false;
  if (!can(actor, "deploy.protected"))
    throw new AppError(
      "forbidden",
      "Only an approver or admin may release a partial past the rules of the prompts that include it (confirmDependents).",
      { rule: "dependents", field: "confirmDependents" },
    );
  return true;
}

/**
 * Throws the plan's refusal (409 conflict / gate_failed / rolled_back, 400 for unconfirmed breaking changes)
 * unless it is met.
 */
export function assertPlanMet(plan: ReleasePlan): void {
  if (plan.status !== "blocked") return;
  const r = planRefusal(plan);
  throw new AppError(r.code, r.message, r.details);
}

export async function promoteVersion(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof promoteInput>,
  opts: {
    action?: "promote" | "auto_promote";
    /** "experiment": shipping a variant the experiment served (a version served here before counts, as for a rollback). */
    purpose?: PlanPurpose;
    refuse?: (plan: ReleasePlan) => string | null;
    /** The bundle release this promotion is part of (recorded with the deployment). */
    partOf?: BundleMark;
    /** The prompt and the environment as the caller read them already (a bundle's release): not read again. */
    read?: { prompt: PromptRow; environment: EnvironmentRow };
  } = {},
): Promise<DeployOutcome> {
  const data = parseInput(promoteInput, input);
  // Who may deploy, and into this environment, was checked by the caller's wrapper (the endpoint's permission and
  // its deployTarget rule), or by assertMayDeployInto where the request's content names the environment.
  const read = opts.read;
  const prompt = read?.prompt.name === name ? read.prompt : await getPrompt(ctx.db, ctx.projectId, name);
  const env =
    read?.environment.name === data.environment ? read.environment : await getRequestEnvironment(ctx, data.environment);
  const confirmDependents = dependentsOverride(ctx.actor, data.confirmDependents);
  const row = await getVersion(ctx.db, prompt, data.version);
  return deploy(ctx, prompt, env, data.version, opts.action ?? "promote", data.reason, {
    read: row,
    audit: opts.partOf && { bundle: opts.partOf },
    experimentAction: data.experimentAction,
    check: async (tx, _version, _live, reads) => {
      const plan = await planFor(
        tx,
        prompt,
        env,
        data.version,
        {
          confirmBreaking: data.confirmBreaking,
          confirmRolledBack: personConfirmed(ctx.actor, data.confirmRolledBack),
          confirmDependents,
          purpose: opts.purpose,
          experimentAction: data.experimentAction,
        },
        // Read by deploy() under the same lock a moment ago: not read again.
        reads,
      );
      assertPlanMet(plan);
      await assertMayEndExperiments(withTx(ctx, tx), plan);
      // An automatic caller may refuse more than the plan does (auto-promote: a version rolled back automatically).
      const refused = opts.refuse?.(plan);
      if (refused) throw new AppError("conflict", refused, { plan });
      return { audit: overrideAudit(plan), plan };
    },
  });
}

/** The dependents a person released past (their steps unmet), for the deployment's audit row. */
export function overrideAudit(plan: ReleasePlan): AuditExtra | undefined {
  const past = plan.dependents.filter((d) => !d.met).map((d) => d.name);
  return past.length ? { overrode: { rule: "dependents", prompts: past } } : undefined;
}

/**
 * The one check lib makes of what deploying needs (a documented exception to "the wrapper checks once"): for the
 * writes that deploy into environments the request's content names — a foreign import's labels
 * (compat/import/apply.ts), PromptLayer's release_labels, a LangSmith push's tags, Langfuse's labels — which no
 * endpoint declaration can name. It refuses what the promotion endpoint's deployTarget rule refuses: an editor may
 * not deploy into a protected environment. Call it before `promoteVersion` (an unknown environment: not_found, as promote).
 */
export async function assertMayDeployInto(ctx: DomainContext, environment: string): Promise<void> {
  authorize(ctx.actor, deployPermission(await getEnvironmentRow(ctx.db, ctx.projectId, environment)));
}
