"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { roles } from "@/lib/auth/permissions";
import { addMember, removeMember, setMemberRole } from "@/lib/auth/projects";
import { createEnvironment, updateEnvironmentRules } from "@/lib/release/environments";
import { projectAction, type ActionContext } from "@/lib/server/action";
import { getEvents } from "@/lib/server/events";

// Project settings: members, API keys, environments. The lib functions check that the caller is an admin.

const refresh = (c: ActionContext) => revalidatePath(`/${c.project.slug}`, "layout");
const role = z.enum(roles);

export const addMemberAction = projectAction(
  z.object({ email: z.string().max(254), name: z.string().max(100).optional(), password: z.string().max(200).optional(), role }),
  async (c, input) => {
    const m = await addMember(c.db, c.actor, c.project.id, { email: input.email, role: input.role, name: input.name || undefined, password: input.password || undefined });
    refresh(c);
    return m;
  },
);

export const setMemberRoleAction = projectAction(z.object({ userId: z.string().max(64), role }), async (c, input) => {
  await setMemberRole(c.db, c.actor, c.project.id, input.userId, input.role);
  refresh(c);
  return { userId: input.userId, role: input.role };
});

export const removeMemberAction = projectAction(z.object({ userId: z.string().max(64) }), async (c, input) => {
  await removeMember(c.db, c.actor, c.project.id, input.userId);
  refresh(c);
  return { removed: input.userId };
});

/** Creates a key; the response is the only time the secret is available. */
export const createApiKeyAction = projectAction(z.object({ name: z.string().max(100), scope: z.enum(["runtime", "admin"]) }), async (c, input) => {
  const key = await createApiKey(c.db, c.actor, c.project.id, input);
  refresh(c);
  return key;
});

export const revokeApiKeyAction = projectAction(z.object({ id: z.string().max(64) }), async (c, input) => {
  const key = await revokeApiKey(c.db, c.actor, c.project.id, input.id, await getEvents());
  refresh(c);
  return key;
});

const rules = {
  protected: z.boolean(),
  requiresReview: z.boolean(),
  requiresLiveIn: z.string().max(36).nullable(),
  minEvalScore: z.number().int().min(0).max(100).nullable(),
};

export const createEnvironmentAction = projectAction(z.object({ name: z.string().max(36), ...rules }), async (c, input) => {
  const env = await createEnvironment({ db: c.db, actor: c.actor, projectId: c.project.id }, input);
  refresh(c);
  return { name: env.name };
});

export const updateEnvironmentAction = projectAction(z.object({ name: z.string().max(36), ...rules }), async (c, { name, ...input }) => {
  const env = await updateEnvironmentRules({ db: c.db, actor: c.actor, projectId: c.project.id }, name, input);
  refresh(c);
  return { name: env.name };
});
