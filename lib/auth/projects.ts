// Projects, their default environments, and memberships (one role per user per project).
import type { DomainContext } from "../context";
import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { environments, memberships, projects, users } from "../../db/schema";
import { isUuid, nameInput, parseInput } from "../validation";
import { AppError, isUniqueViolation } from "../errors";
import { recordAudit } from "../audit/record";
import { apiKeyScopes, roleInput, type Actor, type Role } from "./permissions";

// Project slugs are the first URL segment, so they must not shadow the app's own top-level routes.
export const reservedSlugs = [
  "api",
  "login",
  "projects",
  "monaco",
  "_next",
  "icon.svg",
  "favicon.ico",
  "invite",
  "reset",
  "forgot",
  "account",
  "sdk",
  "cli",
];

export const slugInput = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    error: "slug must be 1–63 lowercase letters, digits or '-', starting with a letter or digit",
  })
  .refine((s) => !reservedSlugs.includes(s), { error: (i) => `slug ${String(i.input)} is reserved; choose another` });

export const createProjectInput = z.object({
  slug: slugInput,
  name: nameInput,
});

export const defaultEnvironments = [
  { name: "development", position: 0, protected: false },
  { name: "staging", position: 1, protected: false },
  { name: "production", position: 2, protected: true },
] as const;

export type Project = typeof projects.$inferSelect;

/** Any signed-in user may create a project; they become its admin. */
export async function createProject(db: Db, input: { slug: string; name: string }, actor: Actor): Promise<Project> {
  const { slug, name } = parseInput(createProjectInput, input);
  try {
    return await db.transaction(async (tx) => {
      const [project] = await tx
        .insert(projects)
        .values({ slug, name, publicId: `pk-lt-${randomBytes(12).toString("hex")}` })
        .returning();
      await tx.insert(environments).values(defaultEnvironments.map((e) => ({ ...e, projectId: project!.id })));
      if (actor.type === "user")
        await tx.insert(memberships).values({ projectId: project!.id, userId: actor.id, role: "admin" });
      await recordAudit(tx, {
        projectId: project!.id,
        actor,
        action: "project.create",
        objectType: "project",
        objectId: project!.id,
        after: { slug, name },
      });
      return project!;
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("conflict", `A project with slug ${slug} already exists.`, { field: "slug" });
    throw e;
  }
}

export async function findProjectBySlug(db: Db, slug: string): Promise<Project | undefined> {
  const [p] = await db.select().from(projects).where(eq(projects.slug, slug));
  return p;
}

/** GET /api/v1/project: the key's project and the key's scope. */
export const projectInfoResponse = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  publicId: z.string(),
  keyScope: z.enum(apiKeyScopes),
});

/** A key's own project as GET /api/v1/project shows it; not_found when it was deleted under the key. */
export async function getKeyProject(db: Db, projectId: string) {
  const [p] = await db
    .select({ id: projects.id, slug: projects.slug, name: projects.name, publicId: projects.publicId })
    .from(projects)
    .where(eq(projects.id, projectId));
  if (!p) throw new AppError("not_found", "No such project.");
  return p;
}

export async function findProjectByPublicId(db: Db, publicId: string): Promise<Project | undefined> {
  const [p] = await db.select().from(projects).where(eq(projects.publicId, publicId));
  return p;
}

/** The projects a user belongs to, with their role in each. */
export async function listProjectsForUser(db: Db, userId: string) {
  return db
    .select({ id: projects.id, slug: projects.slug, name: projects.name, role: memberships.role })
    .from(memberships)
    .innerJoin(projects, eq(projects.id, memberships.projectId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(projects.name));
}

/** A user's role in a project, or undefined when they are not a member. */
export async function findRole(db: Db, projectId: string, userId: string): Promise<Role | undefined> {
  if (!isUuid(userId)) return undefined;
  const [m] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, userId)));
  return m?.role;
}

export async function listMembers(db: Db, projectId: string) {
  return db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.projectId, projectId))
    .orderBy(asc(users.email));
}

/**
 * Changes a membership under a lock on the project row, so that two admins demoting or removing
 * each other at the same time cannot both succeed: the second sees the first's change and is refused.
 */
async function changeMembership(
  db: Db,
  projectId: string,
  userId: string,
  change: (tx: Db, before: Role) => Promise<Role | null>,
) {
  if (!isUuid(userId)) throw new AppError("not_found", "That user is not a member of this project.");
  return db.transaction(async (tx) => {
    await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for("update");
    const before = await findRole(tx, projectId, userId);
    if (!before) throw new AppError("not_found", "That user is not a member of this project.");
    const after = await change(tx, before);
    if (before === "admin" && after !== "admin") {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(memberships)
        .where(and(eq(memberships.projectId, projectId), eq(memberships.role, "admin")));
      if ((row?.n ?? 0) < 1)
        throw new AppError("conflict", "A project needs at least one admin; make someone else admin first.");
    }
    return before;
  });
}

export async function setMemberRole(ctx: DomainContext, userId: string, role: Role) {
  const { db, actor, projectId } = ctx;
  const data = parseInput(roleInput, role, "role");
  const before = await changeMembership(db, projectId, userId, async (tx) => {
    await tx
      .update(memberships)
      .set({ role: data })
      .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, userId)));
    return data;
  });
  await recordAudit(db, {
    projectId,
    actor,
    action: "member.role",
    objectType: "user",
    objectId: userId,
    before: { role: before },
    after: { role: data },
  });
}

export async function removeMember(ctx: DomainContext, userId: string) {
  const { db, actor, projectId } = ctx;
  const before = await changeMembership(db, projectId, userId, async (tx) => {
    await tx.delete(memberships).where(and(eq(memberships.projectId, projectId), eq(memberships.userId, userId)));
    return null;
  });
  await recordAudit(db, {
    projectId,
    actor,
    action: "member.remove",
    objectType: "user",
    objectId: userId,
    before: { role: before },
  });
}
