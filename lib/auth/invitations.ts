// Adding people to a project. An admin never sets or sees a password: an email with an account
// gets the role at once; an email without one gets a one-time invitation link, which the invitee
// redeems to create their own account (or, if an account appeared meanwhile, after signing in).
import type { DomainContext } from "../context";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { invitations, memberships, projects } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError, isUniqueViolation } from "../errors";
import { parseInput, isUuid } from "../validation";
import { roleInput, type Role } from "./permissions";
import { invalidLinkError, isTokenShape, newToken, tokenHash } from "./tokens";
import { createUser, emailInput, findUserByEmail, passwordInput } from "./users";

export const invitationTtlMs = 7 * 24 * 3600 * 1000;

export const addMemberInput = z.object({
  email: emailInput,
  role: roleInput,
});

export type AddMemberResult =
  | { kind: "added"; userId: string; email: string; role: Role }
  | { kind: "invited"; invitationId: string; email: string; role: Role; token: string; expiresAt: Date };

async function insertMembership(db: Db, projectId: string, userId: string, role: Role, email: string) {
  try {
    await db.insert(memberships).values({ projectId, userId, role });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("conflict", `${email} is already a member of this project.`, { field: "email" });
    throw e;
  }
}

/**
 * Grants a role to the account with this email, or invites the email when it has no account.
 * The invitation's token is returned once (to be emailed, or shown to the admin to pass on);
 * inviting the same email again replaces the open invitation.
 */
export async function addMember(
  ctx: DomainContext,
  input: z.input<typeof addMemberInput>,
  now = new Date(),
): Promise<AddMemberResult> {
  const { db, actor, projectId } = ctx;
  const data = parseInput(addMemberInput, input);
  const existing = await findUserByEmail(db, data.email);
  if (existing) {
    await insertMembership(db, projectId, existing.id, data.role, data.email);
    await recordAudit(db, {
      projectId,
      actor,
      action: "member.add",
      objectType: "user",
      objectId: existing.id,
      after: { email: data.email, role: data.role },
    });
    return { kind: "added", userId: existing.id, email: data.email, role: data.role };
  }
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + invitationTtlMs);
  const row = await db.transaction(async (tx) => {
    await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.projectId, projectId),
          eq(invitations.email, data.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    const [inv] = await tx
      .insert(invitations)
      .values({
        projectId,
        email: data.email,
        role: data.role,
        tokenHash: hash,
        invitedBy: actor.type === "user" ? actor.id : null,
        expiresAt,
      })
      .returning();
    await recordAudit(tx, {
      projectId,
      actor,
      action: "member.invite",
      objectType: "invitation",
      objectId: inv!.id,
      after: { email: data.email, role: data.role },
    });
    return inv!;
  });
  return { kind: "invited", invitationId: row.id, email: data.email, role: data.role, token, expiresAt };
}

/** Open invitations of a project (no tokens: they are never stored). */
export async function listInvitations(db: Db, projectId: string, now = new Date()) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.projectId, projectId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .orderBy(asc(invitations.email));
}

export async function revokeInvitation(ctx: DomainContext, id: string, now = new Date()) {
  const { db, actor, projectId } = ctx;
  if (!isUuid(id)) throw new AppError("not_found", `No invitation with id ${id}.`);
  const [row] = await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(invitations.id, id),
        eq(invitations.projectId, projectId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning();
  if (!row) throw new AppError("not_found", "No open invitation with that id.");
  await recordAudit(db, {
    projectId,
    actor,
    action: "member.invite_revoke",
    objectType: "invitation",
    objectId: id,
    before: { email: row.email },
  });
}

const invalidLink = invalidLinkError(
  "This invitation link is not valid: it was already used, withdrawn or has expired. Ask the project admin for a new one.",
);

/** What the invitation page shows: the project, the email and role, and whether the email has an account. */
export async function describeInvitation(db: Db, token: string, now = new Date()) {
  if (!isTokenShape(token)) throw invalidLink();
  const [row] = await db
    .select({ inv: invitations, projectName: projects.name, projectSlug: projects.slug })
    .from(invitations)
    .innerJoin(projects, eq(projects.id, invitations.projectId))
    .where(eq(invitations.tokenHash, tokenHash(token)));
  if (!row || row.inv.acceptedAt || row.inv.revokedAt || row.inv.expiresAt <= now) throw invalidLink();
  const account = await findUserByEmail(db, row.inv.email);
  return {
    email: row.inv.email,
    role: row.inv.role,
    project: { name: row.projectName, slug: row.projectSlug },
    hasAccount: Boolean(account),
    expiresAt: row.inv.expiresAt,
  };
}

export const acceptInvitationInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: "name is required" })
    .max(100, { error: "name must be at most 100 characters" }),
  password: passwordInput,
});

/**
 * Redeems an invitation, once (a row lock makes a second, concurrent redemption fail). With no
 * account for the email, `account` creates it with the invitee's own password; with an account,
 * the redeemer must be signed in as it (`signedInUserId`).
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  who: { account: z.input<typeof acceptInvitationInput> } | { signedInUserId: string },
  now = new Date(),
): Promise<{ userId: string; projectSlug: string }> {
  if (!isTokenShape(token)) throw invalidLink();
  const account = "account" in who ? parseInput(acceptInvitationInput, who.account) : undefined;
  return db.transaction(async (tx) => {
    const [inv] = await tx
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, tokenHash(token)))
      .for("update");
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= now) throw invalidLink();
    const existing = await findUserByEmail(tx, inv.email);
    let userId: string;
    if (existing) {
      if (!("signedInUserId" in who) || who.signedInUserId !== existing.id)
        throw new AppError(
          "forbidden",
          `An account for ${inv.email} exists: sign in as ${inv.email}, then open this link again.`,
          { field: "email" },
        );
      userId = existing.id;
    } else {
      if (!account)
        throw new AppError("invalid_input", "Choose a name and a password to create your account.", {
          field: "password",
        });
      userId = (await createUser(tx, { email: inv.email, name: account.name, password: account.password })).id;
    }
    const [member] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.projectId, inv.projectId), eq(memberships.userId, userId)));
    if (!member) await tx.insert(memberships).values({ projectId: inv.projectId, userId, role: inv.role });
    await tx.update(invitations).set({ acceptedAt: now, acceptedBy: userId }).where(eq(invitations.id, inv.id));
    await recordAudit(tx, {
      projectId: inv.projectId,
      actor: { type: "user", id: userId, label: inv.email, role: inv.role },
      action: "member.join",
      objectType: "invitation",
      objectId: inv.id,
      after: { email: inv.email, role: inv.role },
    });
    const [p] = await tx.select({ slug: projects.slug }).from(projects).where(eq(projects.id, inv.projectId));
    return { userId, projectSlug: p!.slug };
  });
}
