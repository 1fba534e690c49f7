import "server-only";
import { randomBytes } from "node:crypto";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { clientIp, parseTrustedProxies } from "@/lib/auth/client-ip";
import { safeCallbackPath } from "@/lib/auth/redirects";
import { createSession, revokeSession, sessionTtlMs } from "@/lib/auth/sessions";
import { admitExternalSignIn, findIdentityUser, type RefusalReason } from "@/lib/auth/sso";
import { githubPerson, type GithubUser } from "@/lib/auth/github-profile";
import { oidcPerson, type OidcClaims } from "@/lib/auth/oidc-profile";
import { findUserById, verifyCredentials } from "@/lib/auth/users";
import { AppError, isAppError } from "@/lib/errors";
import { dataDirSecret } from "./data-dir";
import { getDb } from "./db";
import { env } from "./env";
import { ssoPolicy } from "./parse-env";
import { log } from "./log";
import { lecternServerInFront } from "./process/front-server";
import { processSingleton } from "./singleton";

// The JWT signing secret: NEXTAUTH_SECRET, or one generated on first start and kept in the data
// directory (fine for one instance; several instances must share NEXTAUTH_SECRET). Read once per process:
// next-auth signs with it and every page's session check verifies with it, so they must never disagree,
// even when the file changes under a running server (data-dir.ts says so instead).
export const authSecret = (): string => processSingleton("authSecret", loadAuthSecret);

function loadAuthSecret(): string {
  const config = env();
  if (config.NEXTAUTH_SECRET) return config.NEXTAUTH_SECRET;
  return dataDirSecret("nextauth-secret", "the sign-in secret", () => randomBytes(32).toString("base64url")).trim();
}

const clientIpState = () =>
  processSingleton("clientIp", () => ({ trusted: parseTrustedProxies(env().LECTERN_TRUSTED_PROXIES), warned: false }));

/** The client's address as far as it can be trusted (see lib/auth/client-ip.ts), or undefined. */
export function requestIp(headers: Record<string, unknown> | Headers | undefined): string | undefined {
  const state = clientIpState();
  const ip = clientIp(headers, state.trusted, { peerHeader: lecternServerInFront() });
  // Not in development (`npm run dev`): there, the only client is the developer, and no proxy can be set up.
  if (!ip && !state.warned && env().NODE_ENV === "production") {
    state.warned = true;
    log.warn(
      "the client's address is unknown (no Lectern server in front and LECTERN_TRUSTED_PROXIES unset): sign-in is limited per account only",
    );
  }
  return ip;
}

const userAgent = (headers: Record<string, unknown> | undefined) =>
  typeof headers?.["user-agent"] === "string" ? (headers["user-agent"] as string) : undefined;

/** Whether email-and-password sign-in exists here (LECTERN_PASSWORDS). */
export const passwordsOn = () => env().LECTERN_PASSWORDS === "on";

/** For the password paths (reset, invitation with a new password) when LECTERN_PASSWORDS=off. */
export function assertPasswordsOn(): void {
  if (!passwordsOn())
    throw new AppError(
      "unavailable",
      "This Lectern has no passwords: sign in through single sign-on on the login page instead.",
    );
}

/** Secure cookies whenever the public URL is https (next-auth's own rule, made explicit). */
export const secureCookies = () => (env().NEXTAUTH_URL ?? "").startsWith("https://");

function passwordProvider() {
  const config = env();
  return CredentialsProvider({
    name: "Email and password",
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(credentials, req) {
      if (!credentials?.email || !credentials.password) throw new Error("Enter your email and password.");
      try {
        const user = await verifyCredentials(
          await getDb(),
          { email: credentials.email, password: credentials.password, ip: requestIp(req?.headers) },
          {
            ipFailures: config.LECTERN_SIGNIN_MAX_FAILURES,
            accountFreeFailures: config.LECTERN_SIGNIN_ACCOUNT_FAILURES,
            windowSeconds: config.LECTERN_SIGNIN_WINDOW_SECONDS,
            maxBackoffSeconds: config.LECTERN_SIGNIN_WINDOW_SECONDS,
          },
        );
        return {
          id: user.id,
          email: user.email,
          name: user.name,
          ip: requestIp(req?.headers),
          userAgent: userAgent(req?.headers),
        };
      } catch (e) {
        if (isAppError(e)) throw new Error(e.message);
        throw e;
      }
    },
  });
}

function providers(): NextAuthOptions["providers"] {
  const config = env();
  // LECTERN_PASSWORDS=off: next-auth then refuses a credentials sign-in as an unknown provider.
  const list: NextAuthOptions["providers"] = config.LECTERN_PASSWORDS === "on" ? [passwordProvider()] : [];
  const wellKnown = `${(config.OIDC_ISSUER ?? "").replace(/\/$/, "")}/.well-known/openid-configuration`;
  if (config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET)
    list.push({
      id: "oidc",
      name: config.OIDC_NAME,
      type: "oauth",
      wellKnown,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      // The ID token's claims, else the userinfo endpoint's (lib/auth/oidc-profile.ts).
      profile: async (p: OidcClaims, tokens: { access_token?: string }) => {
        const person = await oidcPerson(p, { accessToken: tokens.access_token, wellKnown });
        return external({ ...person, issuer: person.issuer ?? config.OIDC_ISSUER!.replace(/\/$/, "") });
      },
    });
  if (config.GITHUB_ID && config.GITHUB_SECRET)
    list.push(
      GitHubProvider({
        clientId: config.GITHUB_ID,
        clientSecret: config.GITHUB_SECRET,
        // With whether GitHub verified the address (lib/auth/github-profile.ts).
        profile: async (p: GithubUser, tokens: { access_token?: string }) =>
          external(await githubPerson(p, { accessToken: tokens.access_token })),
      }),
    );
  return list;
}

/**
 * What a provider's profile hands next-auth's callbacks: who vouches (issuer) and for whom (id = subject), and the
 * address as the provider sent it. next-auth lower-cases `email` itself (String.prototype.toLowerCase, which folds
 * U+212A KELVIN SIGN into "k"), so the rules of lib/auth/sso.ts read `emailAsSent`, never `email`.
 */
type ExternalUser = {
  id: string;
  email: string | null;
  emailAsSent: string | null;
  name: string | null;
  issuer: string;
  emailVerifiedClaim: unknown;
};
const external = (p: {
  id: string;
  issuer: string;
  email: string | null;
  name: string | null;
  emailVerified: unknown;
}) =>
  ({
    id: p.id,
    email: p.email,
    emailAsSent: p.email,
    name: p.name,
    issuer: p.issuer,
    emailVerifiedClaim: p.emailVerified,
  }) as ExternalUser;

/** Where a refused external sign-in lands: the login page, which shows the reason in plain words. */
const signInRefusedPath = (reason: RefusalReason) => `/login?error=AccessDenied&reason=${reason}`;

export function authOptions(): NextAuthOptions {
  return processSingleton("authOptions", (): NextAuthOptions => ({
    secret: authSecret(),
    // The JWT only names a server-side session (lib/auth/sessions.ts); that row decides validity.
    session: { strategy: "jwt", maxAge: sessionTtlMs / 1000 },
    useSecureCookies: secureCookies(),
    // Errors (a refused sign-in is AccessDenied) land on the login page, which explains them.
    pages: { signIn: "/login", error: "/login" },
    providers: providers(),
    callbacks: {
      // External sign-ins become Lectern users (by email) so memberships can be granted to them; the rules
      // (allowed domains, verified email, disabled accounts, the project to join) are in lib/auth/sso.ts.
      async signIn({ user, account }) {
        if (!account || account.type === "credentials") return true;
        const u = user as Partial<ExternalUser>;
        if (!u.issuer) throw new Error(`The ${account.provider} profile names no issuer.`);
        const decision = await admitExternalSignIn(
          await getDb(),
          {
            provider: account.provider,
            issuer: u.issuer,
            subject: account.providerAccountId,
            email: u.emailAsSent ?? null,
            name: user.name,
            emailVerified: u.emailVerifiedClaim,
          },
          ssoPolicy(env()),
        );
        if (!decision.admitted) {
          log.info(`sign-in through ${account.provider} refused (${decision.reason})`);
          return signInRefusedPath(decision.reason);
        }
        if (decision.linked && !decision.created)
          log.info(`linked a ${account.provider} identity (${u.issuer}) to an existing account by its verified email`);
        if (decision.warning) log.warn(decision.warning);
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          const db = await getDb();
          // A password sign-in is its account; an external one is the account its identity is linked to
          // (signIn linked it), never one found by e-mail.
          const row =
            account.type === "credentials"
              ? await findUserById(db, user.id)
              : await findIdentityUser(db, (user as Partial<ExternalUser>).issuer ?? "", account.providerAccountId);
          if (!row) throw new Error("No such user.");
          const meta = user as { ip?: string; userAgent?: string };
          const session = await createSession(db, row.id, { ip: meta.ip, userAgent: meta.userAgent });
          return { sub: row.id, uid: row.id, sid: session.id };
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) (session.user as { id?: string }).id = token.uid as string;
        return session;
      },
      // Only same-origin paths, parsed as a browser would (no "/\evil.example").
      async redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, baseUrl)}`;
      },
    },
    events: {
      async signOut({ token }) {
        const sid = (token as { sid?: unknown } | null)?.sid;
        if (typeof sid === "string") await revokeSession(await getDb(), sid);
      },
    },
  }));
}
