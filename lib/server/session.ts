import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { getProjectBySlug, getRole } from "@/lib/auth/projects";
import { isAppError } from "@/lib/errors";
import { getPrompt } from "@/lib/registry/prompts";
import type { Actor, Role } from "@/lib/auth/permissions";
import { authOptions } from "./auth";
import { getDb } from "./db";

export type SessionUser = { id: string; email: string; name: string };

/** The signed-in user, re-read from the database (a disabled or deleted user has no session). */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id));
  if (!row || row.disabledAt) return null;
  return { id: row.id, email: row.email, name: row.name };
});

export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

export type ProjectContext = {
  user: SessionUser;
  project: { id: string; slug: string; name: string; publicId: string };
  role: Role;
  actor: Actor;
};

/** For dashboard pages: the session's user and their role in the project named by the URL. */
export const requireProject = cache(async (slug: string): Promise<ProjectContext> => {
  const user = await requireUser();
  const db = await getDb();
  const project = await getProjectBySlug(db, slug);
  const role = project ? await getRole(db, project.id, user.id) : undefined;
  if (!project || !role) notFound();
  return {
    user,
    project: { id: project.id, slug: project.slug, name: project.name, publicId: project.publicId },
    role,
    actor: { type: "user", id: user.id, label: user.email, role },
  };
});

/** For pages under /[project]/…/[...name]: the session's project context and the named prompt, or a 404. */
export async function requirePrompt(slug: string, segments: string[]) {
  const name = segments.map(decodeURIComponent).join("/");
  const ctx = await requireProject(slug);
  const db = await getDb();
  const prompt = await getPrompt(db, ctx.project.id, name).catch((e: unknown) => {
    if (isAppError(e) && (e.code === "not_found" || e.code === "invalid_input")) notFound();
    throw e;
  });
  return { ctx, db, prompt, name };
}
