"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Content } from "@/lib/registry/content";
import { diffContent } from "@/lib/registry/diff";
import { getPrompt } from "@/lib/registry/prompts";
import { getVersion } from "@/lib/registry/versions";
import { liveDeployment, promote, rollback } from "@/lib/release/deployments";
import { createDraft } from "@/lib/release/drafts";
import { getEnvironment } from "@/lib/release/environments";
import { cancelReview, decideReview, requestReview } from "@/lib/release/reviews";
import { projectAction, type ActionContext } from "@/lib/server/action";
import { getEvents } from "@/lib/server/events";

// Release actions on one prompt. Each is a thin caller of lib/release; the domain checks roles and rules.

const domain = async (c: ActionContext) => ({ db: c.db, actor: c.actor, projectId: c.project.id, events: await getEvents() });
const refresh = (c: ActionContext) => revalidatePath(`/${c.project.slug}`, "layout");

const name = z.string().min(1).max(100);
const version = z.number().int().positive();
const environment = z.string().min(1).max(36);

/** What would go live: the environment's current version, and the diff from it to `version`. */
export const releasePreviewAction = projectAction(z.object({ name, environment, version }), async (c, input) => {
  const prompt = await getPrompt(c.db, c.project.id, input.name);
  const env = await getEnvironment(c.db, c.project.id, input.environment);
  const live = await liveDeployment(c.db, prompt.id, env.id);
  const [target, current] = await Promise.all([getVersion(c.db, prompt, input.version), live ? getVersion(c.db, prompt, live.version) : null]);
  return {
    live: live?.version ?? null,
    diff: diffContent((current?.content as Content | undefined) ?? null, target.content as Content),
    rules: { protected: env.protected, requiresReview: env.requiresReview, requiresLiveIn: env.requiresLiveIn },
  };
});

export const promoteAction = projectAction(z.object({ name, environment, version, reason: z.string().max(1000).default("") }), async (c, input) => {
  const d = await promote(await domain(c), input.name, { environment: input.environment, version: input.version, reason: input.reason });
  refresh(c);
  return { environment: input.environment, version: d.version };
});

export const rollbackAction = projectAction(z.object({ name, environment, version: version.optional(), reason: z.string().max(1000).default("") }), async (c, input) => {
  const d = await rollback(await domain(c), input.name, { environment: input.environment, version: input.version, reason: input.reason });
  refresh(c);
  return { environment: input.environment, version: d.version };
});

export const requestReviewAction = projectAction(
  z.object({ name, environment, version, message: z.string().max(2000).default(""), deployOnApprove: z.boolean().default(true) }),
  async (c, input) => {
    const r = await requestReview(await domain(c), input.name, input);
    refresh(c);
    return { id: r.id };
  },
);

export const decideReviewAction = projectAction(z.object({ id: z.string(), decision: z.enum(["approve", "reject"]), comment: z.string().max(2000).default("") }), async (c, input) => {
  const r = await decideReview(await domain(c), input.id, { decision: input.decision, comment: input.comment });
  refresh(c);
  return { status: r.review.status, deployed: r.deployment ? { version: r.deployment.version } : null };
});

export const cancelReviewAction = projectAction(z.object({ id: z.string() }), async (c, input) => {
  await cancelReview(await domain(c), input.id);
  refresh(c);
  return { cancelled: true };
});

export const createDraftAction = projectAction(z.object({ prompt: name, name: z.string().max(100), fromVersion: version.optional() }), async (c, input) => {
  const d = await createDraft(await domain(c), input.prompt, { name: input.name, fromVersion: input.fromVersion });
  refresh(c);
  return { id: d.id };
});
