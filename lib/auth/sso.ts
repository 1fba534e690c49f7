// Who may sign in through an identity provider (OpenID Connect, GitHub), which account a sign-in is, and what a
// first sign-in creates. next-auth's signIn callback asks `admitExternalSignIn`, its jwt callback
// `findIdentityUser`; the rules live here so they can be tested on a database.
//
// A sign-in is its provider's (issuer, subject), linked to one account (user_identities). An e-mail address
// links a new identity to an existing account only when it is byte for byte the account's address after ASCII
// lower-casing, and only when the provider says it is verified: a provider account whose address merely folds
// into another (U+212A KELVIN SIGN lower-cases to "k"), or whose address nobody verified (the "nOAuth" attack on
// multi-tenant providers), never signs in as someone else.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { memberships, userIdentities, users } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { isAppError, isUniqueViolation } from "../errors";
import type { Role } from "./permissions";
import { findProjectBySlug } from "./projects";
import { createUser, emailInput } from "./users";

export interface SsoPolicy {
  /** Lower-case email domains that may sign in; empty: any. */
  allowedDomains: readonly string[];
  /** The project an account created on its first sign-in joins, with this role. */
  join?: { projectSlug: string; role: Role };
}

export interface ExternalProfile {
  /** The provider's id ("oidc", "github"), recorded in the audit log. */
  provider: string;
  /** Who vouches for the person: the ID token's `iss` (OpenID Connect), https://github.com for GitHub. */
  issuer: string;
  /** The person at that issuer: the ID token's `sub`, GitHub's numeric user id. Never reassigned by the provider. */
  subject: string;
  email?: string | null;
  name?: string | null;
  /** The OpenID Connect `email_verified` claim as the provider sent it (boolean, or "true"/"false" from some). */
  emailVerified?: unknown;
}

export type RefusalReason =
  | "no_email"
  | "invalid_email"
  | "ambiguous_email"
  | "unverified_email"
  | "link_unverified"
  | "email_taken"
  | "domain"
  | "disabled";

export type SignInDecision =
  | {
      admitted: true;
      userId: string;
      created: boolean;
      /** This sign-in linked its provider identity to the account (its first sign-in through that identity). */
      linked?: boolean;
      joined?: { projectId: string; role: Role };
      /** Something the operator should know (logged), e.g. a join project that does not exist. */
      warning?: string;
    }
  | { admitted: false; reason: RefusalReason; message: string };

/** The plain-words message for each refusal (also shown on the login page). */
export const refusalMessages: Record<RefusalReason, string> = {
  no_email: "Your identity provider did not share an email address, which Lectern needs to sign you in.",
  invalid_email:
    "Your identity provider gave an email address Lectern cannot use for an account (Lectern's addresses are plain ASCII). Ask an administrator.",
  ambiguous_email:
    "Your email address has a character that Lectern would read as another one (such as the Kelvin sign for K). Sign in with an address in plain characters.",
  unverified_email:
    "Your identity provider does not say your email address is verified. Verify it there, then sign in again.",
  link_unverified:
    "An account with your email address already exists here, and your identity provider does not say the address is verified, so Lectern cannot tell it is yours. Verify the address at your provider and sign in again, or ask an administrator.",
  email_taken:
    "An account with a similar email address already exists here, and Lectern joins a sign-in to an account only when the addresses are exactly the same. Sign in with that account's address, or ask an administrator.",
  domain: "Accounts with your email domain may not sign in to this Lectern. Ask an administrator.",
  disabled: "Your Lectern account is disabled. Ask an administrator.",
};

/** The login page's message for next-auth's `error` (and Lectern's `reason`) query parameters. */
export function signInErrorMessage(error: unknown, reason?: unknown): string | undefined {
  if (typeof error !== "string" || !error) return undefined;
  if (error === "CredentialsSignin") return "Wrong email or password.";
  if (error === "AccessDenied")
    return typeof reason === "string" && Object.hasOwn(refusalMessages, reason)
      ? refusalMessages[reason as RefusalReason]
      : "Your sign-in was refused. Ask an administrator whether your account may sign in to this Lectern.";
  return "Sign-in failed; try again.";
}

const refuse = (reason: RefusalReason): SignInDecision => ({
  admitted: false,
  reason,
  message: refusalMessages[reason],
});

/**
 * A claim that is present must say true (the boolean, or the string "true" some providers send): 0, "no", "" or
 * anything else refuses. An absent claim does not: many providers (GitHub, some Entra ID tenants) send none.
 */
const notVerified = (v: unknown) =>
  v !== undefined && v !== null && v !== true && !(typeof v === "string" && v.trim().toLowerCase() === "true");
/** Only a claim that says true vouches for an address enough to link it to an existing account. */
const saysVerified = (v: unknown) => v === true || (typeof v === "string" && v.trim().toLowerCase() === "true");

/** ASCII letters lower-cased, every other character as it is: the only folding an address gets when it links. */
export const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/**
 * The address as Lectern stores it (lower case, NFKC), or null when a character in it would be read as another
 * one: lower-casing folds U+212A KELVIN SIGN into "k", so "\u212Aim@acme.com" at the provider would sign in as
 * kim@acme.com here. Two addresses at the provider must never become one account.
 */
export function canonicalEmail(raw: string): string | null {
  const trimmed = raw.trim();
  for (const ch of trimmed) {
    if (ch.charCodeAt(0) < 128) continue;
    const lower = ch.toLowerCase();
    if (ch.normalize("NFKC") !== ch || lower.normalize("NFKC") !== lower || /[\x00-\x7f]/.test(lower)) return null;
  }
  return trimmed.toLowerCase();
}

export const emailDomain = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

/** The account an identity is linked to, or undefined (not linked yet). */
export async function findIdentityUser(
  db: Db,
  issuer: string,
  subject: string,
): Promise<{ id: string; email: string; disabledAt: Date | null } | undefined> {
  const [row] = await db
    .select({ id: users.id, email: users.email, disabledAt: users.disabledAt })
    .from(userIdentities)
    .innerJoin(users, eq(users.id, userIdentities.userId))
    .where(and(eq(userIdentities.issuer, issuer), eq(userIdentities.subject, subject)));
  return row;
}

/** The account whose stored address is exactly `email` (no folding here: the caller chose it). */
async function findUserByExactEmail(db: Db, email: string) {
  const [row] = await db
    .select({ id: users.id, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.email, email));
  return row;
}

const linkIdentity = (db: Db, userId: string, p: ExternalProfile, email: string) =>
  db
    .insert(userIdentities)
    .values({ userId, issuer: p.issuer, subject: p.subject, provider: p.provider, email })
    .onConflictDoNothing();

/** A new account (no password) for an admitted address, linked, joining the policy's project when there is one. */
async function createExternalUser(
  tx: Db,
  profile: ExternalProfile,
  email: string,
  joining: { project: { id: string }; join: NonNullable<SsoPolicy["join"]> } | null,
  warning: string | undefined,
): Promise<SignInDecision> {
  const user = await createUser(tx, { email, name: profile.name?.trim().slice(0, 100) || email });
  const [identity] = await tx
    .insert(userIdentities)
    .values({
      userId: user.id,
      issuer: profile.issuer,
      subject: profile.subject,
      provider: profile.provider,
      email,
    })
    .returning({ id: userIdentities.id });
  if (!identity) throw new Error("unreachable: the identity was inserted");
  const done = { admitted: true as const, userId: user.id, created: true, linked: true };
  if (!joining) return { ...done, warning };
  const { project } = joining;
  const role = joining.join.role;
  await tx.insert(memberships).values({ projectId: project.id, userId: user.id, role });
  await recordAudit(tx, {
    projectId: project.id,
    actor: { type: "user", id: user.id, label: email, role },
    action: "member.join",
    objectType: "user",
    objectId: user.id,
    after: { email, role, via: "sso", provider: profile.provider },
  });
  return { ...done, joined: { projectId: project.id, role } };
}

/**
 * Decides an external sign-in. A linked identity is its account (the allowed domains still apply to the
 * address it has now). An unlinked one links to the account whose address is byte for byte its own after ASCII
 * lower-casing, when the provider says that address is verified; with no such account, an admitted address gets
 * a new account (no password), linked, joining `policy.join`'s project in the same transaction, audited as
 * `member.join`. Later sign-ins neither re-join nor change the role an admin has since set.
 */
export async function admitExternalSignIn(
  db: Db,
  profile: ExternalProfile,
  policy: SsoPolicy,
  retry = true,
): Promise<SignInDecision> {
  if (!profile.issuer || !profile.subject) throw new Error("An external sign-in needs its issuer and subject.");
  const raw = profile.email?.trim() ?? "";
  const hasEmail = raw.includes("@");
  const outsideDomains = () =>
    policy.allowedDomains.length > 0 && !policy.allowedDomains.includes(emailDomain(asciiLower(raw)));

  const linked = await findIdentityUser(db, profile.issuer, profile.subject);
  if (linked) {
    if (policy.allowedDomains.length && !hasEmail) return refuse("no_email");
    if (outsideDomains()) return refuse("domain");
    return linked.disabledAt ? refuse("disabled") : { admitted: true, userId: linked.id, created: false };
  }

  if (!hasEmail) return refuse("no_email");
  if (notVerified(profile.emailVerified)) return refuse("unverified_email");
  if (outsideDomains()) return refuse("domain");

  const exact = await findUserByExactEmail(db, asciiLower(raw));
  if (exact) {
    if (exact.disabledAt) return refuse("disabled");
    if (!saysVerified(profile.emailVerified)) {
      // A concurrent first sign-in of this identity may have made the account (and linked it) since the look-up.
      const now = await findIdentityUser(db, profile.issuer, profile.subject);
      return now?.id === exact.id ? { admitted: true, userId: exact.id, created: false } : refuse("link_unverified");
    }
    await linkIdentity(db, exact.id, profile, asciiLower(raw));
    // A concurrent sign-in of the same identity may have linked it first: the link that stands decides.
    const now = await findIdentityUser(db, profile.issuer, profile.subject);
    return now?.id === exact.id
      ? { admitted: true, userId: exact.id, created: false, linked: true }
      : refuse("email_taken");
  }

  const email = canonicalEmail(raw);
  if (!email) return refuse("ambiguous_email");
  if (!emailInput.safeParse(email).success) return refuse("invalid_email");
  const project = policy.join ? await findProjectBySlug(db, policy.join.projectSlug) : undefined;
  const warning =
    policy.join && !project
      ? `LECTERN_SSO_JOIN_PROJECT names project ${policy.join.projectSlug}, which does not exist: ${email} joined no project`
      : undefined;
  try {
    return await db.transaction((tx) =>
      createExternalUser(tx, profile, email, policy.join && project ? { project, join: policy.join } : null, warning),
    );
  } catch (e) {
    // The address or the identity was taken meanwhile: a concurrent first sign-in of this identity (then it is
    // linked now), or an account whose address Lectern stores the same way (then the linking rule decides).
    if (!(isAppError(e) && e.code === "conflict") && !isUniqueViolation(e)) throw e;
    if (retry) return admitExternalSignIn(db, profile, policy, false);
    return refuse("email_taken");
  }
}
