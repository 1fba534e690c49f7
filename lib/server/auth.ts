import "server-only";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { createUser, findUserByEmail, verifyCredentials } from "@/lib/auth/users";
import { isAppError } from "@/lib/errors";
import { getDb } from "./db";
import { env } from "./env";

// The JWT signing secret: NEXTAUTH_SECRET, or one generated on first start and kept in the data
// directory (fine for one instance; several instances must share NEXTAUTH_SECRET).
function secret(): string {
  const config = env();
  if (config.NEXTAUTH_SECRET) return config.NEXTAUTH_SECRET;
  const file = path.resolve(config.LECTERN_DATA_DIR, "nextauth-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const s = randomBytes(32).toString("base64url");
    writeFileSync(file, s, { mode: 0o600 });
    return s;
  }
}

function clientIp(headers: Record<string, unknown> | undefined): string | undefined {
  const fwd = headers?.["x-forwarded-for"];
  if (typeof fwd === "string" && fwd) return fwd.split(",")[0]!.trim();
  const real = headers?.["x-real-ip"];
  return typeof real === "string" ? real : undefined;
}

function providers(): NextAuthOptions["providers"] {
  const config = env();
  const list: NextAuthOptions["providers"] = [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) throw new Error("Enter your email and password.");
        try {
          const user = await verifyCredentials(
            await getDb(),
            { email: credentials.email, password: credentials.password, ip: clientIp(req?.headers) },
            { limit: config.LECTERN_SIGNIN_MAX_FAILURES, seconds: config.LECTERN_SIGNIN_WINDOW_SECONDS },
          );
          return { id: user.id, email: user.email, name: user.name };
        } catch (e) {
          if (isAppError(e)) throw new Error(e.message);
          throw e;
        }
      },
    }),
  ];
  if (config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET)
    list.push({
      id: "oidc",
      name: config.OIDC_NAME,
      type: "oauth",
      wellKnown: `${config.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: (p: { sub: string; email: string; name?: string }) => ({ id: p.sub, email: p.email, name: p.name ?? p.email }),
    });
  if (config.GITHUB_ID && config.GITHUB_SECRET)
    list.push(GitHubProvider({ clientId: config.GITHUB_ID, clientSecret: config.GITHUB_SECRET }));
  return list;
}

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= {
    secret: secret(),
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    pages: { signIn: "/login" },
    providers: providers(),
    callbacks: {
      // External sign-ins become Lectern users (by email) so memberships can be granted to them.
      async signIn({ user, account }) {
        if (!account || account.type === "credentials") return true;
        if (!user.email) return false;
        const db = await getDb();
        const existing = await findUserByEmail(db, user.email);
        if (existing?.disabledAt) return false;
        if (!existing) {
          try {
            await createUser(db, { email: user.email, name: user.name ?? user.email });
          } catch (e) {
            if (!isAppError(e) || e.code !== "conflict") throw e;
          }
        }
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          const db = await getDb();
          const row = user.email ? await findUserByEmail(db, user.email) : undefined;
          token.uid = row?.id ?? user.id;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) (session.user as { id?: string }).id = token.uid as string;
        return session;
      },
    },
  };
  return options;
}
