"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { versionNumber } from "@/lib/registry/numbers";
import { authorize, deployAction } from "@/lib/auth/permissions";
import {
  confirmedBreakingInput,
  releaseChanges,
  requireBreakingConfirmed,
  reviewRelease,
} from "@/lib/release/breaking";
import { promote, rollback } from "@/lib/release/deployments";
import { createDraft } from "@/lib/release/drafts";
import { cancelReview, decideReview, requestReview } from "@/lib/release/reviews";
import { runPlayground } from "@/lib/evaluation/playground";
import { getPrompt } from "@/lib/registry/prompts";
import { getEnvironment } from "@/lib/release/environments";
import { evaluateGate } from "@/lib/release/gate";
import { projectAction, type ActionContext } from "@/lib/server/action";
import { callerResolver } from "@/lib/server/models";
import { getEvents } from "@/lib/server/events";

// Release actions on one prompt. Each is a thin caller of lib/release; the domain checks roles and rules.

const domain = async (c: ActionContext) => ({
  db: c.db,
  actor: c.actor,
  projectId: c.project.id,
  events: await getEvents(),
});
const refresh = (c: ActionContext) => revalidatePath(`/${c.project.slug}`, "layout");

const name = z.string().min(1).max(100);
const version = versionNumber();
const environment = z.string().min(1).max(36);

/**
 * What would go live: the environment's current version, the diff from it to `version`, and which
 * of the changes break the applications using that environment.
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
  };
});

/** Promotes; to a protected environment, breaking changes go only with `confirmedBreaking` naming each. */
export const promoteAction = projectAction(
  z.object({
    name,
    environment,
    version,
    reason: z.string().max(1000).default(""),
    confirmedBreaking: confirmedBreakingInput,
  }),
  async (c, input) => {
    const changes = await releaseChanges(c.db, c.project.id, input.name, input.environment, input.version);
    authorize(c.actor, deployAction(changes.environment));
    requireBreakingConfirmed(changes, input.confirmedBreaking);
    const d = await promote(await domain(c), input.name, {
      environment: input.environment,
      version: input.version,
      reason: input.reason,
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
  }),
  async (c, input) => {
    const r = await requestReview(await domain(c), input.name, input);
    refresh(c);
    return { id: r.id };
  },
);

/** Decides a review; approving one that deploys to a protected environment needs the same confirmation as promoting. */
export const decideReviewAction = projectAction(
  z.object({
    id: z.string(),
    decision: z.enum(["approve", "reject"]),
    comment: z.string().max(2000).default(""),
    confirmedBreaking: confirmedBreakingInput,
  }),
  async (c, input) => {
    const release = input.decision === "approve" ? await reviewRelease(c.db, c.project.id, input.id) : null;
    if (release) {
      authorize(c.actor, "review.decide");
      requireBreakingConfirmed(
        await releaseChanges(c.db, c.project.id, release.prompt, release.environment, release.version),
        input.confirmedBreaking,
      );
    }
    const r = await decideReview(await domain(c), input.id, { decision: input.decision, comment: input.comment });
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
  }),
  async (c, { name: prompt, ...input }) => runPlayground(c.db, c.actor, c.project.id, prompt, input, callerResolver()),
);

/** Why an environment's evaluation gate refuses (or accepts) a version: run, score, thresholds, baseline. */
export const gateVerdictAction = projectAction(z.object({ name, environment, version }), async (c, input) => {
  const prompt = await getPrompt(c.db, c.project.id, input.name);
  const env = await getEnvironment(c.db, c.project.id, input.environment);
  return evaluateGate(c.db, prompt.id, env, input.version);
});
