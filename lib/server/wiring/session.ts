import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { decode } from "next-auth/jwt";
import { notFound, redirect } from "next/navigation";
import { findProjectBySlug, findRole } from "@/lib/auth/projects";
import { validateSession } from "@/lib/auth/sessions";
import { isAppError } from "@/lib/errors";
import { getPrompt } from "@/lib/registry/prompts";
import type { Actor, Role } from "@/lib/auth/permissions";
import { authSecret, secureCookies } from "./auth";
import { getDb } from "./db";

export type SessionUser = { id: string; email: string; name: string };

/**
 * The sign-in cookie: the session id it names, or `unreadable` when there is one this server cannot verify
 * (signed with another secret: from before a restart that made a new one, or by an instance that does not
 * share NEXTAUTH_SECRET).
 */
export const sessionCookie = cache(async (): Promise<{ sid?: string; unreadable: boolean }> => {
  const name = `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;
  const raw = (await cookies()).get(name)?.value;
  if (!raw) return { unreadable: false };
  const token = await decode({ token: raw, secret: authSecret() }).catch(() => null);
  return typeof token?.sid === "string" ? { sid: token.sid, unreadable: false } : { unreadable: !token };
});

/** The session id the sign-in cookie names, or undefined (no cookie, or one this server did not sign). */
export const currentSessionId = cache(async (): Promise<string | undefined> => (await sessionCookie()).sid);

/**
 * The signed-in user. The session row is checked on every request, so a sign-out, a password
 * change or a disabled account ends the session at once on every instance, whatever the cookie says.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const sid = await currentSessionId();
  if (!sid) return null;
  return validateSession(await getDb(), sid);
});

/** For pages: the signed-in user, or a redirect to sign-in that comes back to this page afterwards. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) {
    const here = (await headers()).get("x-lectern-path");
    redirect(here && here !== "/" ? `/login?callbackUrl=${encodeURIComponent(here)}` : "/login");
  }
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
  const project = await findProjectBySlug(db, slug);
  const role = project ? await findRole(db, project.id, user.id) : undefined;
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
