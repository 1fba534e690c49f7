// Single sign-on end to end: Lectern's login page, a real OpenID Connect provider (test/oidc-server.ts,
// the oidc-provider package) with its own login and consent pages, and back. The server is started with
// OIDC_* settings by scripts/with-server.sh (LECTERN_TEST_OIDC=on): accounts of sso.test only, joining
// project e2e-sso as editors.
import { sql } from "drizzle-orm";
import type { Page } from "@playwright/test";
import { queryRows } from "../db/client";
import type { Actor } from "../lib/auth/permissions";
import { createProject, findProjectBySlug, removeMember } from "../lib/auth/projects";
import { findIdentityUser } from "../lib/auth/sso";
import { createUser, findUserByEmail } from "../lib/auth/users";
import { startOidcProvider, type OidcAccount, type OidcServer } from "../test/oidc-server";
import { expect, expectNoSeriousA11yViolations, screenshot, signOut, test } from "./fixtures";
import { projectContext } from "../lib/context";
import { noEvents } from "../lib/announcements";

const port = Number(process.env.LECTERN_TEST_OIDC_PORT ?? 0);
const run = Date.now().toString(36);
const system: Actor = { type: "system", label: "e2e" };
const email = (who: string, domain = "sso.test") => `${who}-${run}@${domain}`;
let oidc: OidcServer | undefined;
const accounts: Record<string, OidcAccount> = {
  ann: { email: email("ann"), name: "Ann Example" },
  mallory: { email: email("mallory", "elsewhere.test"), name: "Mallory" },
  gone: { email: email("gone"), name: "Gone Soon" },
  // U+212A KELVIN SIGN: lower-cased it is "k", so this address folds into kate's.
  kelvin: { email: email("\u212Aate"), name: "Not Kate" },
  lee: { email: email("LEE"), name: "Lee" },
  max: { email: email("max"), name: "Max", emailVerified: null },
};

test.beforeAll(async () => {
  if (!port) throw new Error("LECTERN_TEST_OIDC_PORT is not set: run e2e through npm test (LECTERN_TEST_OIDC=on).");
  const base = process.env.LECTERN_TEST_BASE_URL!;
  oidc = await startOidcProvider({
    port,
    clientId: process.env.LECTERN_TEST_OIDC_CLIENT_ID!,
    clientSecret: process.env.LECTERN_TEST_OIDC_CLIENT_SECRET!,
    redirectUri: `${base}/api/auth/callback/oidc`,
    accounts,
  });
});
test.afterAll(async () => oidc?.stop());

test.beforeEach(async ({ database }) => {
  if (!(await findProjectBySlug(database.db, "e2e-sso")))
    await createProject(database.db, { slug: "e2e-sso", name: "SSO" }, system).catch(() => undefined);
});

/** Lectern's button, then the provider's own login and consent pages (when it asks), typed as a person would. */
async function signInWithProvider(page: Page, account: string) {
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with Test identity provider" }).click();
  // The provider's pages, or straight back (a remembered provider session) signed in or refused.
  await page.waitForURL(
    (u) => u.port === String(port) || !u.pathname.startsWith("/login") || u.searchParams.has("error"),
  );
  if (new URL(page.url()).port === String(port)) {
    const login = page.locator('input[name="login"]');
    if (await login.isVisible()) {
      await login.click();
      await page.keyboard.type(account, { delay: 20 });
      await page.locator('input[name="password"]').fill("anything");
      await page.getByRole("button", { name: /sign-?in/i }).click();
    }
    const consent = page.getByRole("button", { name: /continue/i });
    if (await consent.isVisible().catch(() => false)) await consent.click();
  }
  await page.waitForURL((u) => u.port !== String(port));
}

test("a new person signs in through the identity provider, joins the configured project as editor, signs out", async ({
  page,
}) => {
  await signInWithProvider(page, "ann");
  await page.goto("/e2e-sso/prompts");
  await expect(page.getByRole("heading", { name: "Prompts" })).toBeVisible();
  await expect(page.getByText(`${email("ann")} · editor`)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await signOut(page);
  await page.goto("/e2e-sso/prompts");
  await expect(page).toHaveURL(/\/login/);
});

test("an address outside the allowed domains is refused, in words, and no account is made", async ({
  page,
  database,
}) => {
  await signInWithProvider(page, "mallory");
  await expect(page).toHaveURL(/\/login\?error=AccessDenied&reason=domain/);
  await expect(page.getByText("Accounts with your email domain may not sign in to this Lectern.")).toHaveText(
    "Accounts with your email domain may not sign in to this Lectern. Ask an administrator.",
  );
  await screenshot(page, "sso-refused-domain");
  expect(await findUserByEmail(database.db, email("mallory", "elsewhere.test"))).toBeUndefined();
});

test("someone removed from the project is not put back by signing in again; a disabled account is refused", async ({
  page,
  database,
}) => {
  await signInWithProvider(page, "gone");
  await page.goto("/e2e-sso/prompts");
  await expect(page.getByRole("heading", { name: "Prompts" })).toBeVisible();
  const user = (await findUserByEmail(database.db, email("gone")))!;
  const project = (await findProjectBySlug(database.db, "e2e-sso"))!;
  await removeMember(projectContext(database.db, system, project.id, noEvents), user.id);
  // The open session loses the project at once, and is told so with a way on; signing in again does not
  // re-join it.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page.getByText("belongs to a project you are not a member of")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await signOut(page);
  await signInWithProvider(page, "gone");
  await page.goto("/e2e-sso/prompts");
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "No projects yet" })).toBeVisible();
  await signOut(page);

  await queryRows(database.db, sql`update users set disabled_at = now() where id = ${user.id}`);
  await signInWithProvider(page, "gone");
  await expect(page).toHaveURL(/reason=disabled/);
  await expect(page.getByText("Your Lectern account is disabled. Ask an administrator.")).toBeVisible();
});

/** The account the browser's session is, by its id (the session names no address). */
const sessionUserId = async (page: Page) =>
  ((await (await page.request.get("/api/auth/session")).json()) as { user?: { id?: string } }).user?.id;

test("an address that only folds into an existing account's (the Kelvin sign) does not sign in as it", async ({
  page,
  database,
}) => {
  const kate = await createUser(database.db, { email: email("kate"), name: "Kate", password: "kate-password-e2e" });
  await signInWithProvider(page, "kelvin");
  await expect(page).toHaveURL(/reason=ambiguous_email/);
  await expect(page.getByText("Sign in with an address in plain characters.")).toBeVisible();
  expect(await sessionUserId(page)).toBeUndefined();
  expect(await findIdentityUser(database.db, oidc!.issuer, "kelvin")).toBeUndefined();
  expect(kate.email).toBe(email("kate"));
});

test("a verified address links a new provider identity to its account, which it stays when the address changes", async ({
  page,
  database,
}) => {
  const lee = await createUser(database.db, { email: email("lee"), name: "Lee", password: "lee-password-e2e" });
  await signInWithProvider(page, "lee"); // LEE-…@sso.test: the same address after ASCII lower-casing
  await page.goto("/");
  expect(await sessionUserId(page)).toBe(lee.id);
  expect((await findIdentityUser(database.db, oidc!.issuer, "lee"))?.id).toBe(lee.id);
  await signOut(page);
  // The provider changes the address: the identity (issuer, subject) is still Lee's account, not a new one.
  accounts.lee!.email = email("lee-renamed");
  await signInWithProvider(page, "lee");
  await page.goto("/");
  expect(await sessionUserId(page)).toBe(lee.id);
  expect(await findUserByEmail(database.db, email("lee-renamed"))).toBeUndefined();
});

test("an address the provider does not say is verified does not link to an existing account", async ({
  page,
  database,
}) => {
  await createUser(database.db, { email: email("max"), name: "Max", password: "max-password-e2e" });
  await signInWithProvider(page, "max");
  await expect(page).toHaveURL(/reason=link_unverified/);
  await expect(page.getByText("Lectern cannot tell it is yours")).toBeVisible();
  expect(await sessionUserId(page)).toBeUndefined();
});
