// A bundle release as a guarded rollout (docs/decisions/bundles.md): every member the release changes ramps as a
// rollout of its own, all with ONE seed, one step plan and one `bundle: {name, group}` mark, so a subject's
// hash puts it on the new side of every member or of none, at every step (the weights are equal and the seed
// is shared). The group moves as one (rollout-group.ts) and completes as one bundle release. Starting needs
// every changed member's release plan for a rollout (bundleRefusal with each member's plan otherwise), under
// the bundle's share lock and every member's lock; members left as they are must serve something there, as
// the completion releases the whole bundle.
import { withTx, type DomainContext } from "../../context";
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { AppError, isUniqueViolation } from "../../errors";
import { promptNameSchema } from "../../registry/names";
import { versionNumber } from "../../number-params";
import { assertCoversMembers, getBundleRow, lockedBundle, lockMembers } from "../../release/bundles/bundles";
import { liveDeployment } from "../../release/deployments";
import type { EnvironmentRow } from "../../release/environments";
import { getRequestEnvironment } from "../../release/request-environments";
import type { ReleasePlan } from "../../release/plan/plan";
import { bundleRefusal } from "../../release/plan/plan-refusal";
import { parseInput } from "../../validation";
import { bundleGroupsOf } from "../bundles/bundle-list";
import { announce } from "../phase";
import { guardrailsOf, insertRollout, rolloutOptionsInput, rolloutPlan, stepsFor } from "./rollout-insert";
import { rolloutDto } from "./rollout-state";
import { getExperiment, groupOf, type Experiment } from "../store";

export const createBundleRolloutInput = rolloutOptionsInput.extend({
  versions: z.record(promptNameSchema, versionNumber(), { error: "versions must map each member's name to a version" }),
});

const instant = z.iso.datetime({ offset: true });

/** A bundle's rollout as the API answers it (bundleRolloutDto). */
export const bundleRolloutSchema = z.object({
  id: z.string(),
  bundle: z.string(),
  environment: z.string(),
  status: z.enum(["running", "paused", "completed", "rolled_back", "stopped"]),
  step: z.number().int(),
  percent: z.number(),
  steps: z.array(z.object({ percent: z.number(), minMinutes: z.number(), minSubjects: z.number() })),
  guardrails: z.array(z.object({ name: z.string(), kind: z.string(), direction: z.string() })),
  decisions: z.array(
    z.object({
      at: z.string(),
      step: z.number().int(),
      action: z.string(),
      reason: z.string(),
      by: z.string(),
      automatic: z.boolean(),
      guardrails: z.array(
        z.object({ prompt: z.string(), metric: z.string(), lift: z.number().nullable(), significant: z.boolean() }),
      ),
    }),
  ),
  members: z.array(
    z.object({
      prompt: z.string(),
      version: z.number().int(),
      liveVersion: z.number().int().nullable(),
      rollout: z.string(),
    }),
  ),
  startedAt: instant.nullable(),
  endedAt: instant.nullable(),
});

/** A bundle's rollout as callers read it: the group's share and log, and each member's rollout. */
export function bundleRolloutDto(bundle: string, group: string, members: Experiment[]) {
  const rollouts = [...members].sort((a, b) => a.prompt.localeCompare(b.prompt)).map(rolloutDto);
  const lead = rollouts[0]!;
  return {
    id: group,
    bundle,
    environment: lead.environment,
    status: lead.status,
    step: lead.step,
    percent: lead.percent,
    steps: lead.steps,
    guardrails: lead.guardrails,
    // The group's moves are every member's; the guardrail readings a job decided on are on the member it read.
    decisions: lead.decisions.map((d, i) => ({
      ...d,
      guardrails: rollouts.flatMap((r) => (r.decisions[i]?.guardrails ?? []).map((g) => ({ ...g, prompt: r.prompt }))),
    })),
    members: rollouts.map((r) => ({ prompt: r.prompt, version: r.version, liveVersion: r.liveVersion, rollout: r.id })),
    startedAt: lead.startedAt,
    endedAt: lead.endedAt,
  };
}
export type BundleRolloutDto = ReturnType<typeof bundleRolloutDto>;

/** A bundle's rollout that would change a skill member's version: refused, saying what to do instead. */
const skillNotRolledOut = (bundle: string, skill: string, env: string, live: number) =>
  new AppError(
    "unprocessable",
    `Bundle ${bundle} cannot roll out gradually with a new version of ${skill}: it is a skill, which agents install whole, so it is not split by subject. Release the bundle to move every member at once, or roll out with ${skill} at version ${live}, which ${env} serves.`,
    { field: `versions.${skill}`, rule: "bundle.skill", prompt: skill, type: "skill" },
  );

export async function createBundleRollout(ctx: DomainContext, name: string, input: unknown) {
  const data = parseInput(createBundleRolloutInput, input);
  const guardrails = guardrailsOf(data.guardrails);
  const env = await getRequestEnvironment(ctx, data.environment).catch((e: unknown) => {
    throw e instanceof AppError && e.code === "not_found"
      ? new AppError("unprocessable", e.message, { field: "environment" })
      : e;
  });
  assertCoversMembers(await getBundleRow(ctx.db, ctx.projectId, name), data.versions);
  const steps = stepsFor(data, env);
  const now = ctx.now?.() ?? new Date();
  const group = randomUUID();
  let started: (readonly [string, number])[] = [];
  try {
    started = await ctx.db.transaction(async (tx) => {
      const bundle = await lockedBundle(tx, ctx.projectId, name);
      assertCoversMembers(bundle, data.versions);
      await lockMembers(tx, bundle.members);
      const changed = await changedMembers(withTx(ctx, tx), bundle, env, data);
      const plans = changed.map((c) => ({ prompt: c.prompt.name, plan: c.plan }));
      if (plans.some((p) => p.plan.status === "blocked")) {
        const refusal = bundleRefusal(bundle.name, env.name, plans);
        throw new AppError("plan_unmet", `A rollout starts only when the release plan is met. ${refusal.message}`, {
          ...refusal.details,
          code: refusal.code,
        });
      }
      const seed = randomBytes(8).toString("hex");
      const mark = { name: bundle.name, group };
      const out: (readonly [string, number])[] = [];
      for (const c of changed)
        out.push(
          await insertRollout(withTx(ctx, tx), {
            prompt: c.prompt,
            env,
            live: c.live,
            version: data.versions[c.prompt.name]!,
            steps,
            guardrails,
            margin: data.margin,
            minSamplePerArm: data.minSamplePerArm,
            reason: data.reason,
            seed,
            bundle: mark,
            now,
          }),
        );
      return out;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError(
        "conflict",
        `Another experiment or rollout runs on a member of ${name} in ${env.name}; stop it first.`,
        {
          environment: env.name,
        },
      );
    throw err;
  }
  const members: Experiment[] = [];
  for (const [id, seq] of started) {
    const e = await getExperiment(ctx.db, ctx.projectId, id);
    await announce(ctx, e, seq);
    members.push(e);
  }
  return bundleRolloutDto(name, group, members);
}

/** The members whose version changes, each with its live version and its release plan; refused when none. */
async function changedMembers(
  ctx: DomainContext,
  bundle: Awaited<ReturnType<typeof lockedBundle>>,
  env: EnvironmentRow,
  data: z.output<typeof createBundleRolloutInput>,
) {
  const tx = ctx.db;
  const changed: { prompt: (typeof bundle.members)[number]; live: number; plan: ReleasePlan }[] = [];
  for (const m of bundle.members) {
    const live = await liveDeployment(tx, m.id, env.id);
    const version = data.versions[m.name]!;
    if (live?.version === version) continue;
    if (!live)
      throw new AppError(
        "conflict",
        `Nothing of ${m.name} is live in ${env.name}: a bundle's rollout grows new versions beside live ones; release bundle ${bundle.name} there first.`,
        { field: `versions.${m.name}`, rule: "live", prompt: m.name },
      );
    // A skill is installed whole by agents, not served per subject: a bundle cannot ramp it up.
    if (m.skillName !== null) throw skillNotRolledOut(bundle.name, m.name, env.name, live.version);
    changed.push({ prompt: m, ...(await rolloutPlan(ctx, m, env, version, data)) });
  }
  if (!changed.length)
    throw new AppError("conflict", `${env.name} serves every version of bundle ${bundle.name} already.`, {
      field: "versions",
      rule: "live",
    });
  return changed;
}

/** A bundle's rollouts, newest first (at most 20), in one environment or all. */
export async function listBundleRollouts(db: Db, projectId: string, name: string, environment?: string) {
  const { bundle, groups } = await bundleGroupsOf(db, projectId, name, "rollout", environment);
  const out: BundleRolloutDto[] = [];
  for (const g of new Set(groups)) out.push(bundleRolloutDto(bundle, g, await groupOf(db, projectId, g)));
  return out;
}

/** The bundle rollout a member's rollout belongs to, or null for a prompt's own rollout. */
export async function bundleRolloutOf(db: Db, projectId: string, e: Experiment) {
  const mark = e.kind === "rollout" ? e.bundle : null;
  return mark ? bundleRolloutDto(mark.name, mark.group, await groupOf(db, projectId, mark.group)) : null;
}

/** GET /api/v1/bundles/{name}/rollouts (listBundleRollouts). */
export const bundleRolloutListResponse = z.object({ rollouts: z.array(bundleRolloutSchema) });
/** POST /api/v1/bundles/{name}/rollouts (createBundleRollout). */
export const bundleRolloutResponse = z.object({ rollout: bundleRolloutSchema });
