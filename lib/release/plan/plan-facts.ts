// Reads what the release plan (plan.ts) is computed from. Release operations call it with their
// transaction after they have locked the prompt, so the plan they check is the one they write under.
import { and, desc, eq, inArray } from "drizzle-orm";
import { readTogether, type Db } from "../../../db/client";
import {
  deployments,
  environments,
  experiments,
  promptVersions,
  reviewRequests,
  users,
  runningExperimentOn,
} from "../../../db/schema";
import { classifyDiff } from "../../registry/changes/compat";
import type { Content } from "../../registry/content";
import { diffContent } from "../../registry/changes/diff";
import { fieldsOutsideSpec } from "../../registry/skills/skill-files";
import { collectPartials } from "../../registry/templates/partials";
import { getPrompt, type PromptRow } from "../../registry/prompts";
import { AppError } from "../../errors";
import { getEnvironmentRow, type EnvironmentRow } from "../environments";
import { composingExperiments, type ComposingExperiment } from "../composing";
import { liveDeployment } from "../deployments";
import { dependentFacts, namesLeadingTo } from "../dependents";
import { gateFacts } from "../gates/gate-facts";
import { rollbackOf } from "./plan-rolled-back";
import { shadowFacts } from "./shadow-facts";
import { releasePlan, type PlanFacts, type PlanOptions, type PlanPurpose, type ReleasePlan } from "./plan";

async function versionContent(db: Db, promptId: string, version: number): Promise<Content | null> {
  const [row] = await db
    .select({ content: promptVersions.content })
    .from(promptVersions)
    .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.version, version)));
  return row?.content ?? null;
}

async function reviewFacts(db: Db, promptId: string, envId: string, version: number) {
  const rows = await db
    .select({
      id: reviewRequests.id,
      status: reviewRequests.status,
      requestedBy: reviewRequests.requestedByLabel,
      decidedBy: users.name,
      decidedAt: reviewRequests.decidedAt,
      createdAt: reviewRequests.createdAt,
    })
    .from(reviewRequests)
    .leftJoin(users, eq(users.id, reviewRequests.decidedBy))
    .where(
      and(
        eq(reviewRequests.promptId, promptId),
        eq(reviewRequests.environmentId, envId),
        eq(reviewRequests.version, version),
        inArray(reviewRequests.status, ["approved", "pending"]),
      ),
    )
    .orderBy(desc(reviewRequests.createdAt));
  const approved = rows.find((r) => r.status === "approved");
  const pending = rows.find((r) => r.status === "pending");
  return {
    approved: approved
      ? { id: approved.id, by: approved.decidedBy, at: (approved.decidedAt ?? approved.createdAt).toISOString() }
      : null,
    pending: pending ? { id: pending.id, by: pending.requestedBy || null, at: pending.createdAt.toISOString() } : null,
  };
}

const breakingChanges = (before: Content | null, content: Content): PlanFacts["breaking"] =>
  classifyDiff(diffContent(before, content)).breaking.map((c) => ({ key: c.key, message: c.message }));

/**
 * What the caller has read already with the same `db` (under the same lock), so the plan does not read it again:
 * the version the environment serves (null: nothing), the names that may include the prompt (namesLeadingTo) and
 * the experiments the release changes (deploy() reads all three).
 */
export interface PlanReads {
  live?: number | null;
  names?: string[];
  composing?: ComposingExperiment[];
}

/** The names that may include the prompt (namesLeadingTo): read once, for the dependents and the composing experiments both. */
function leadingNames(db: Db, prompt: PromptRow, known: PlanReads): () => Promise<string[]> {
  let leading: Promise<string[]> | undefined;
  return () =>
    (leading ??= known.names ? Promise.resolve(known.names) : namesLeadingTo(db, prompt.projectId, prompt.name));
}

/** Everything the plan of `version` of a prompt for an environment depends on, read with `db` (a transaction under the lock, or not). */
export async function loadPlanFacts(
  db: Db,
  prompt: PromptRow,
  env: EnvironmentRow,
  version: number,
  known: PlanReads = {},
): Promise<PlanFacts> {
  const live = known.live !== undefined ? known.live : ((await liveDeployment(db, prompt.id, env.id))?.version ?? null);
  const names = leadingNames(db, prompt, known);
  const contents = new Map<number, Promise<Content | null>>();
  const contentOf = (v: number) => {
    if (!contents.has(v)) contents.set(v, versionContent(db, prompt.id, v));
    return contents.get(v)!;
  };
  const content = await contentOf(version);
  if (!content)
    throw new AppError("not_found", `Prompt ${prompt.name} has no version ${version}.`, {
      prompt: prompt.name,
      version,
    });
  const usesPartials = async (v: number) => {
    const c = await contentOf(v);
    return c ? collectPartials(c).length > 0 : false;
  };
  const [wasLiveIn, gate, reviews, running, rolledBack, shadow, dependents, composing] = await readTogether(db, [
    () =>
      db
        .selectDistinct({ name: environments.name })
        .from(deployments)
        .innerJoin(environments, eq(environments.id, deployments.environmentId))
        .where(and(eq(deployments.promptId, prompt.id), eq(deployments.version, version))),
    // A skill is not rendered for a model: the gate and the shadow rule judge it through the prompts that include
    // it (dependents), on the composed text.
    () => (content.type === "skill" ? null : gateFacts(db, prompt, env, version, live, usesPartials)),
    () => reviewFacts(db, prompt.id, env.id, version),
    () =>
      db
        .select({ id: experiments.id, name: experiments.name })
        .from(experiments)
        .where(runningExperimentOn(prompt.id, env.id)),
    () => (live === version ? null : rollbackOf(db, prompt.id, env.id, version)),
    // With nothing live there is no live answer to compare with: the step does not apply.
    () =>
      env.shadowMinInputs !== null && live !== null && live !== version && content.type !== "skill"
        ? shadowFacts(db, prompt.id, env.id, version, live, env.shadowMinInputs)
        : null,
    // Releasing a partial releases what includes it.
    () => (live === version ? [] : dependentFacts(db, prompt.projectId, prompt, env, version, names)),
    // …and what experiments running on them serve.
    () =>
      live === version
        ? []
        : (known.composing ?? composingExperiments(db, prompt.projectId, prompt.name, env, version, names)),
  ]);
  const breaking =
    env.protected && live !== null && live !== version ? breakingChanges(await contentOf(live), content) : [];
  return {
    prompt: prompt.name,
    version,
    environment: {
      name: env.name,
      protected: env.protected,
      requiresReview: env.requiresReview,
      requiresLiveIn: env.requiresLiveIn,
      // A guarded rollout splits traffic by subject; agents installing a skill are not subjects.
      guardedRollout: env.guardedRollout !== null && content.type !== "skill",
    },
    live,
    wasLiveIn: wasLiveIn.map((r) => r.name),
    gate,
    shadow,
    reviews,
    breaking,
    dependents,
    composing,
    experiments: running,
    rolledBack,
    ...(content.type === "skill" ? { skillFieldsOutsideSpec: fieldsOutsideSpec(content.files) } : {}),
  };
}

/** The release plan of a version for an environment, as it stands now. */
export async function planFor(
  db: Db,
  prompt: PromptRow,
  env: EnvironmentRow,
  version: number,
  opts: PlanOptions = {},
  known: PlanReads = {},
): Promise<ReleasePlan> {
  return releasePlan(await loadPlanFacts(db, prompt, env, version, known), opts);
}

/** planFor by names (pages and actions): 404 for an unknown prompt or environment. */
export async function planByName(
  db: Db,
  projectId: string,
  promptName: string,
  environment: string,
  version: number,
  opts: { confirmBreaking?: boolean | readonly string[]; purpose?: PlanPurpose } = {},
): Promise<ReleasePlan> {
  const [prompt, env] = await readTogether(db, [
    () => getPrompt(db, projectId, promptName),
    () => getEnvironmentRow(db, projectId, environment),
  ]);
  return planFor(db, prompt, env, version, opts);
}
