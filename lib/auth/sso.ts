// Who may sign in through an identity provider (OpenID Connect, GitHub), and what a first sign-in creates.
// next-auth's signIn callback asks `admitExternalSignIn`; the rules live here so they can be tested on a database.
import type { Db } from "../../db/client";
import { memberships } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { isAppError } from "../errors";
import type { Role } from "./permissions";
import { findProjectBySlug } from "./projects";
import { createUser, findUserByEmail } from "./users";

export interface SsoPolicy {
  /** Lower-case email domains that may sign in; empty: any. */
  allowedDomains: readonly string[];
  /** The project an account created on its first sign-in joins, with this role. */
  join?: { projectSlug: string; role: Role };
}

export interface ExternalProfile {
  /** The provider's id ("oidc", "github"), recorded in the audit log. */
  provider: string;
  email?: string | null;
  name?: string | null;
  /** The OpenID Connect `email_verified` claim as the provider sent it (boolean, or "true"/"false" from some). */
  emailVerified?: unknown;
}

export type RefusalReason = "no_email" | "ambiguous_email" | "unverified_email" | "domain" | "disabled";

export type SignInDecision =
  | {
      admitted: true;
      userId: string;
      created: boolean;
      joined?: { projectId: string; role: Role };
      /** Something the operator should know (logged), e.g. a join project that does not exist. */
      warning?: string;
    }
  | { admitted: false; reason: RefusalReason; message: string };

/** The plain-words message for each refusal (also shown on the login page). */
export const refusalMessages: Record<RefusalReason, string> = {
  no_email: "Your identity provider did not share an email address, which Lectern needs to sign you in.",
  ambiguous_email:
    "Your email address has a character that Lectern would read as another one (such as the Kelvin sign for K). Sign in with an address in plain characters.",
  unverified_email:
    "Your identity provider does not say your email address is verified. Verify it there, then sign in again.",
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

/**
 * Decides an external sign-in. An admitted email without an account gets one (no password), and joins
 * `policy.join`'s project in the same transaction, audited as `member.join`. Later sign-ins neither re-join
 * nor change the role an admin has since set.
 */
export async function admitExternalSignIn(
  db: Db,
  profile: ExternalProfile,
  policy: SsoPolicy,
): Promise<SignInDecision> {
  if (!profile.email?.trim().includes("@")) return refuse("no_email");
  const email = canonicalEmail(profile.email);
  if (!email) return refuse("ambiguous_email");
  if (notVerified(profile.emailVerified)) return refuse("unverified_email");
  if (policy.allowedDomains.length && !policy.allowedDomains.includes(emailDomain(email))) return refuse("domain");

  const existing = await findUserByEmail(db, email);
  if (existing)
    return existing.disabledAt ? refuse("disabled") : { admitted: true, userId: existing.id, created: false };

  const project = policy.join ? await findProjectBySlug(db, policy.join.projectSlug) : undefined;
  const warning =
    policy.join && !project
      ? `LECTERN_SSO_JOIN_PROJECT names project ${policy.join.projectSlug}, which does not exist: ${email} joined no project`
      : undefined;
  try {
    return await db.transaction(async (tx) => {
      const user = await createUser(tx, { email, name: profile.name?.trim().slice(0, 100) || email });
      if (!project || !policy.join) return { admitted: true as const, userId: user.id, created: true, warning };
      const role = policy.join.role;
      await tx.insert(memberships).values({ projectId: project.id, userId: user.id, role });
      await recordAudit(tx, {
        projectId: project.id,
        actor: { type: "user", id: user.id, label: email, role },
        action: "member.join",
        objectType: "user",
        objectId: user.id,
        after: { email, role, via: "sso", provider: profile.provider },
      });
      return { admitted: true as const, userId: user.id, created: true, joined: { projectId: project.id, role } };
    });
  } catch (e) {
    // A concurrent first sign-in created the account: that one joined, this one is an ordinary sign-in.
    if (!isAppError(e) || e.code !== "conflict") throw e;
    const row = await findUserByEmail(db, email);
    if (!row) throw e;
    return row.disabledAt ? refuse("disabled") : { admitted: true, userId: row.id, created: false };
  }
}
