"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { versionNumber } from "@/lib/registry/numbers";
import { releaseChanges } from "@/lib/release/breaking";
import { promote } from "@/lib/release/promote";
import { rollback } from "@/lib/release/rollback";
import { createDraft } from "@/lib/release/drafts";
import { cancelReview, decideReview, requestReview } from "@/lib/release/reviews";
import { addComment, addCommentInput } from "@/lib/release/comments";
import { runPlayground } from "@/lib/evaluation/playground";
import { createRun } from "@/lib/evaluation/runs";
import { planByName } from "@/lib/release/plan-facts";
import { projectAction, type ActionContext } from "@/lib/server/http/action";
import { enqueueEvalRun, runLimits } from "@/lib/server/wiring/evaluation";
import { callerResolver } from "@/lib/server/wiring/models";
import { getEvents } from "@/lib/server/wiring/events";

// Release actions on one prompt. Each is a thin caller of one lib/release operation, with the same
// arguments the REST API passes: the domain checks roles and the release plan, inside its lock.

const domain = async (c: ActionContext) => ({
  db: c.db,
  actor: c.actor,
  projectId: c.project.id,
  events: await getEvents(),
});
const refresh = (c: ActionContext) => revalidatePath(`/${c.project.slug}`, "layout");

const name = z.string().min(1).max(255);
const version = versionNumber();
const environment = z.string().min(1).max(36);
/** The keys of the breaking changes the person saw and confirmed (see lib/release/promote.ts). */
const confirmBreaking = z.array(z.string().max(200)).max(200).default([]);

/** What version n still needs before the environment may serve it (lib/release/plan.ts). */
export const releasePlanAction = projectAction(z.object({ name, environment, version }), async (c, input) =>
  planByName(c.db, c.project.id, input.name, input.environment, input.version),
);

/**
 * What would go live: the environment's current version, the diff from it to `version`, which of the
 * changes break the applications using that environment, and the version's release plan there.
 */
export const releasePreviewAction = projectAction(z.object({ name, environment, version }), async (c, input) => {
  const r = await releaseChanges(c.db, c.project.id, input.name, input.environment, input.version);
  return {
    live: r.live,
    diff: r.diff,
    compat: r.compat,
    rules: {
      protected: r.environment.protected,
      requiresReview: r.environment.requiresReview,
      requiresLiveIn: r.environment.requiresLiveIn,
    },
    plan: await planByName(c.db, c.project.id, input.name, input.environment, input.version),
  };
});

/** Promotes (lib/release/promote.ts): the plan applies, breaking changes only with the keys the person confirmed. */
export const promoteAction = projectAction(
  z.object({ name, environment, version, reason: z.string().max(1000).default(""), confirmBreaking }),
  async (c, input) => {
    const d = await promote(await domain(c), input.name, {
      environment: input.environment,
      version: input.version,
      reason: input.reason,
      confirmBreaking: input.confirmBreaking,
    });
    refresh(c);
    return { environment: input.environment, version: d.version };
  },
);

export const rollbackAction = projectAction(
  z.object({ name, environment, version: version.optional(), reason: z.string().max(1000).default("") }),
  async (c, input) => {
    const d = await rollback(await domain(c), input.name, {
      environment: input.environment,
      version: input.version,
      reason: input.reason,
    });
    refresh(c);
    return { environment: input.environment, version: d.version };
  },
);

export const requestReviewAction = projectAction(
  z.object({
    name,
    environment,
    version,
    message: z.string().max(2000).default(""),
    deployOnApprove: z.boolean().default(true),
    acknowledgeMissing: z.boolean().default(false),
  }),
  async (c, input) => {
    const r = await requestReview(await domain(c), input.name, input);
    refresh(c);
    return { id: r.id };
  },
);

/** Decides a review; an approval that deploys checks the plan, with the breaking changes the approver confirmed. */
export const decideReviewAction = projectAction(
  z.object({
    id: z.string(),
    decision: z.enum(["approve", "reject"]),
    comment: z.string().max(2000).default(""),
    confirmBreaking,
    deploy: z.boolean().optional(),
  }),
  async (c, input) => {
    const r = await decideReview(await domain(c), input.id, input);
    refresh(c);
    return { status: r.review.status, deployed: r.deployment ? { version: r.deployment.version } : null };
  },
);

export const cancelReviewAction = projectAction(z.object({ id: z.string() }), async (c, input) => {
  await cancelReview(await domain(c), input.id);
  refresh(c);
  return { cancelled: true };
});

export const createDraftAction = projectAction(
  z.object({ prompt: name, name: z.string().max(100), fromVersion: version.optional() }),
  async (c, input) => {
    const d = await createDraft(await domain(c), input.prompt, { name: input.name, fromVersion: input.fromVersion });
    refresh(c);
    return { id: d.id };
  },
);

/** Runs a version once with the typed variables through the project's connection (the playground). */
export const runPlaygroundAction = projectAction(
  z.object({
    name,
    version,
    variables: z.record(z.string().max(64), z.unknown()),
    connection: z.string().max(200).optional(),
    model: z.string().max(200).optional(),
    environment: environment.optional(),
  }),
  async (c, { name: prompt, ...input }) => runPlayground(c.db, c.actor, c.project.id, prompt, input, callerResolver()),
);

/** Runs the evaluation an environment's gate asks for: its dataset, items, scorers and partials. */
export const runGateEvaluationAction = projectAction(z.object({ name, environment, version }), async (c, input) => {
  const run = await createRun(
    await domain(c),
    { prompt: input.name, version: input.version, gate: input.environment },
    enqueueEvalRun,
    runLimits(),
  );
  refresh(c);
  return { id: run.id };
});

/** Comments on a version, or in a review's discussion (the input is the API's, plus the prompt's name). */
export const addCommentAction = projectAction(
  addCommentInput.extend({ name }),
  async (c, { name: prompt, ...input }) => {
    const comment = await addComment(await domain(c), prompt, input);
    refresh(c);
    return comment;
  },
);
