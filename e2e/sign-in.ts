// How the e2e specs make their users and sign them in, at a fraction of what the login page costs.
//
// Passwords: each seeded user is made by the product's createUser; its password is its role's in this worker,
// hashed once per worker (scrypt at the product's cost, about 50 ms of CPU a hash, was four hashes per test).
//
// Sessions: `signIn` gives the browser what a password sign-in leaves it: a session made by the product's own
// createSession and the cookie naming it, encoded by next-auth's own `encode` with the server's secret
// (LECTERN_TEST_AUTH_SECRET, set by scripts/with-server.sh), as next-auth's jwt callback does
// (lib/server/wiring/auth.ts). The server checks that session row on every request as it checks any other; signing
// out revokes it. A spec that tests signing in itself uses `signInWithPassword`, through the login page
// (e2e/auth.spec.ts, e2e/members.spec.ts, e2e/journey.spec.ts; every page's visit includes the login page).
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, type Page } from "@playwright/test";
import { encode } from "next-auth/jwt";
import type { Database } from "../db/client";
import { users } from "../db/schema";
import { hashPassword } from "../lib/auth/password";
import { createSession, sessionTtlMs } from "../lib/auth/sessions";
import { createUser } from "../lib/auth/users";

export type SeededUser = { id: string; email: string; name: string; password: string };

const workerKey = randomBytes(6).toString("hex");
const hashes = new Map<string, Promise<string>>();
const databases = new WeakMap<SeededUser, Database>();

/** A user made by the product's createUser, with its role's password in this worker (hashed once). */
export async function seedUser(
  database: Database,
  input: { email: string; name: string; role: string },
): Promise<SeededUser> {
  const password = `${input.role}-password-${workerKey}`;
  let hash = hashes.get(password);
  if (!hash) hashes.set(password, (hash = hashPassword(password)));
  const user = await createUser(database.db, { email: input.email, name: input.name });
  await database.db
    .update(users)
    .set({ passwordHash: await hash })
    .where(eq(users.id, user.id));
  const seeded = { ...user, password };
  databases.set(seeded, database);
  return seeded;
}

function authSecret() {
  const secret = process.env.LECTERN_TEST_AUTH_SECRET;
  if (!secret) throw new Error("LECTERN_TEST_AUTH_SECRET is not set: run e2e through scripts/with-server.sh postgres.");
  return secret;
}

/** Signs `user` in as a password sign-in would leave the browser, without the login page (see above). */
export async function signIn(page: Page, user: SeededUser) {
  const database = databases.get(user);
  if (!database) throw new Error(`${user.email} was not made by seedUser`);
  const session = await createSession(database.db, user.id, { userAgent: "Playwright (e2e session)", ip: "127.0.0.1" });
  const value = await encode({
    token: { name: user.name, email: user.email, sub: user.id, uid: user.id, sid: session.id },
    secret: authSecret(),
    maxAge: sessionTtlMs / 1000,
  });
  const url = process.env.LECTERN_TEST_BASE_URL;
  if (!url) throw new Error("LECTERN_TEST_BASE_URL is not set: run e2e through scripts/with-server.sh.");
  await page
    .context()
    .addCookies([{ name: "next-auth.session-token", value, url, httpOnly: true, sameSite: "Lax", expires: -1 }]);
  hydrateFirstPage(page);
}

/**
 * The login page and the page it led to used to put the app's shared scripts in this browser's cache before a spec's
 * first page; without them that page hydrates later, and a spec that clicks at once could click before React listens.
 * So the first page loaded after `signIn` is returned once hydrated (`<html data-hydrated>`), as `hydrated` waits.
 */
function hydrateFirstPage(page: Page) {
  const goto = page.goto.bind(page);
  page.goto = async (...args: Parameters<Page["goto"]>) => {
    page.goto = goto;
    const res = await goto(...args);
    if (res?.headers()["content-type"]?.startsWith("text/html"))
      await expect(page.locator("html[data-hydrated]")).toBeAttached();
    return res;
  };
}

/** Signs in through the login page, as a person does. */
export async function signInWithPassword(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}
