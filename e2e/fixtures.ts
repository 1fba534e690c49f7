// Each spec seeds its own project (with one user per role) straight into the server's database,
// through the same lib/ functions the product uses, then signs its users in (e2e/sign-in.ts).
import { randomBytes } from "node:crypto";
import { test as base, expect, type Locator, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { openDatabase, type Database } from "../db/client";
import { addMember } from "../lib/auth/invitations";
import { createProject } from "../lib/auth/projects";
import type { Actor, Role } from "../lib/auth/permissions";
import { createPrompt, getPrompt } from "../lib/registry/prompts";
import { createVersion, getVersion } from "../lib/registry/versions";
import { raiseAlert } from "../lib/evaluation/online/alerts";
import { putOnlineEvaluation } from "../lib/evaluation/online/rules";
import { getEnvironmentRow } from "../lib/release/environments";
import { noEvents } from "../lib/announcements";
import { promoteVersion } from "../lib/release/promote";
import { projectContext } from "../lib/context";
import { createApiKey } from "../lib/auth/api-keys";
import { seedUser, signIn, signInWithPassword, type SeededUser } from "./sign-in";

export { signIn, signInWithPassword };

export type Seeded = {
  slug: string;
  projectId: string;
  users: Record<Role, SeededUser>;
  database: Database;
};

const system: Actor = { type: "system", label: "e2e" };

export async function seedProject(database: Database): Promise<Seeded> {
  const id = randomBytes(4).toString("hex");
  const slug = `e2e-${id}`;
  const project = await createProject(database.db, { slug, name: `E2E ${id}` }, system);
  const users = {} as Seeded["users"];
  for (const role of ["viewer", "editor", "approver", "admin"] as const) {
    const email = `${role}-${id}@e2e.lectern.dev`;
    const name = `${role[0]!.toUpperCase()}${role.slice(1)} ${id}`;
    users[role] = await seedUser(database, { email, name, role });
    await addMember(projectContext(database.db, system, project.id, noEvents), { email, role });
  }
  return { slug, projectId: project.id, users, database };
}

/**
 * Waits until a page loaded with `page.goto` is what its client code makes of it: React has hydrated it
 * (components/hydration-mark.tsx). Lectern's pages fetch nothing from the browser after that, so this is
 * the moment to measure them (a quiet network, which tests waited for before, cost a second per page).
 */
export async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated]")).toBeAttached();
}

export async function expectNoSeriousA11yViolations(page: Page) {
  // Pages with generateMetadata stream their <title>, and a server action's refresh replaces it: axe checks
  // the page once its title is back, not in the moment between.
  await expect(page).toHaveTitle(/\S/);
  // A part that is still reading what it shows says so (aria-busy): the bundle page's release button is disabled,
  // grey, until the members' plans are read, then fades to its colour (`transition-colors`, 150 ms). On a busy
  // machine the plans came after the wait for transitions below, and axe read the button mid-fade (runs 38, 39).
  await expect(page.locator('[aria-busy="true"]'), "a part of the page still busy (aria-busy)").toHaveCount(0);
  // A colour in transition is checked once it has arrived: axe reads the computed colour. Endless animations (a
  // pulsing dot) are not waited for.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  // Legacy mode runs axe in the page itself. The default runs it in each frame and then finishes in a blank
  // page it opens for the purpose, for cross-origin frames, which Lectern's pages have none of: that page
  // cost a second per check (65 checks in e2e/, 58 more in every-page.spec.ts), for the same findings.
  const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes
          .map((n) => n.target.join(" "))
          .join(", ")
          .slice(0, 300)})`,
    ),
  ).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** A state worth keeping: checked for serious accessibility violations, then screenshotted under `name`. */
export async function checkedScreenshot(page: Page, name: string) {
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, name);
}

// Warnings Node prints in this worker (the fixtures reach the database directly): a DeprecationWarning from
// node-postgres means two queries at once on one connection, a defect however the page looked.
const nodeWarnings: string[] = [];
process.on("warning", (w) => {
  if (w.name !== "ExperimentalWarning") nodeWarnings.push(`${w.name}: ${w.message}\n${w.stack ?? ""}`);
});

export const test = base.extend<{ seeded: Seeded }, { database: Database }>({
  // Every spec fails on an uncaught error in the page (a Monaco model disposed too early, a render
  // that throws), even when everything the spec looks at turned out right.
  page: async ({ page }, provide) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`${e.name}: ${e.message}\n${e.stack ?? ""}`));
    await provide(page);
    expect(errors, "uncaught errors in the page").toEqual([]);
    expect(nodeWarnings.splice(0), "warnings from Node in the test's worker").toEqual([]);
  },
  database: [
    async ({}, use) => {
      const url = process.env.LECTERN_TEST_DATABASE_URL;
      if (!url)
        throw new Error(
          "LECTERN_TEST_DATABASE_URL is not set: run e2e through scripts/with-server.sh postgres (npm test does).",
        );
      const database = await openDatabase({ url, poolSize: 2 });
      await use(database);
      await database.close();
    },
    { scope: "worker" },
  ],
  // Not named `use`: the React hooks lint rule would take this for React's use().
  seeded: async ({ database }, provide) => {
    await provide(await seedProject(database));
  },
});

export { expect };

// ---- Helpers for the editor's workspace specs (prompts, releases, drafts). ----

/** A domain context acting as the system, for seeding data straight into the spec's project. */
export const systemCtx = (seeded: Seeded) => ({
  db: seeded.database.db,
  actor: system,
  projectId: seeded.projectId,
  events: noEvents,
});

/** An API key of the spec's project, made straight in the domain as the system; returns its secret. */
export async function seedApiKey(seeded: Seeded, input: Parameters<typeof createApiKey>[1]): Promise<string> {
  return (await createApiKey(systemCtx(seeded), input)).key;
}

/** Creates a prompt (version 1) directly, then saves each further content as the next version; `live` names the
 * environments that then serve version 1. */
export async function seedPrompt(
  seeded: Seeded,
  name: string,
  versions: Record<string, unknown>[],
  opts: { description?: string; tags?: string[]; live?: string[] } = {},
) {
  const [first, ...rest] = versions;
  await createPrompt(systemCtx(seeded), {
    name,
    description: opts.description ?? "",
    tags: opts.tags ?? [],
    commitMessage: "Seeded version 1",
    ...first,
  });
  for (const [i, v] of rest.entries())
    await createVersion(systemCtx(seeded), name, { commitMessage: `Seeded version ${i + 2}`, ...v });
  for (const environment of opts.live ?? []) await seedDeploy(seeded, name, environment, 1);
}

/** Deploys a version directly (as the system: no UI, no review rules). */
export async function seedDeploy(seeded: Seeded, name: string, environment: string, version: number) {
  await promoteVersion(systemCtx(seeded), name, { environment, version, reason: "seeded" });
}

/** Saves the next version directly, as someone else editing at the same time would. */
export async function seedVersion(seeded: Seeded, name: string, content: Record<string, unknown>) {
  return (await createVersion(systemCtx(seeded), name, content)).version.version;
}

/** The stored content of a version. */
export async function versionContent(seeded: Seeded, name: string, version: number) {
  return (await getVersion(seeded.database.db, await getPrompt(seeded.database.db, seeded.projectId, name), version))
    .content as Record<string, unknown>;
}

// Monaco loads its worker and language code after the page; on a busy two-core machine that took more than
// the default 10 s once (the page shows the template meanwhile). Waiting longer is not a speed claim.
export const editorLoad = 30_000;

/** Holds Monaco's files, as a slow network would, until the function it returns is called. */
export async function holdMonaco(page: Page) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/monaco/vs/**", async (route) => {
    await gate;
    await route.continue();
  });
  return release;
}

/**
 * Replaces the text of the Monaco editor whose accessible name is `label` in one edit, as a paste over
 * a selection does. (Deleting first, then inserting, shrinks the text to one line in between, and
 * Monaco's diff editor can then throw from a diff computed for the longer text ("startLineNumber 3 cannot
 * be after endLineNumberExclusive 2"): an upstream family of open bugs on edits that shrink a diffed text,
 * e.g. microsoft/monaco-editor#4852. It made e2e/drafts.spec.ts fail about once in five runs.)
 */
export async function fillEditor(page: Page, label: string, text: string) {
  const box = page.getByRole("textbox", { name: label });
  await expect(box).toBeAttached({ timeout: editorLoad });
  await box.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(text);
}

/**
 * Types into the Monaco editor whose accessible name is `label` as a person does: key by key, with
 * `delay` ms between keys (0, 30 and 80 are fast, normal and slow typists). Replaces what was there.
 */
export async function typeInEditor(page: Page, label: string, text: string, delay: number) {
  const box = page.getByRole("textbox", { name: label });
  await expect(box).toBeAttached({ timeout: editorLoad });
  await box.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type(text, { delay });
}

/** Typing speeds the editor specs run at: fast (0 ms between keys), normal (30 ms) and slow (80 ms). */
export const typingDelays = [0, 30, 80] as const;

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
}

/** An online rule on `prompt` in production, and an open regression alert of it ("Thumbs-up rate dropped"). */
export async function seedOpenAlert(seeded: Seeded, prompt: string) {
  const rule = await putOnlineEvaluation(systemCtx(seeded), prompt, { environment: "production" });
  const db = seeded.database.db;
  await raiseAlert(
    db,
    {
      projectId: seeded.projectId,
      promptId: (await getPrompt(db, seeded.projectId, prompt)).id,
      environmentId: (await getEnvironmentRow(db, seeded.projectId, "production")).id,
      ruleId: rule.id,
      kind: "regression",
      severity: "warning",
      message: "Thumbs-up rate dropped",
      details: {},
    },
    1,
    { type: "system", label: "e2e" },
  );
  return rule;
}

/**
 * Sends the open request for review of v2 in production (`request`, its dialog), signs out, and signs an approver
 * in to open it from the reviews page. Returns the review's dialog (`prompt`'s v2 for production).
 */
export async function requestAndOpenAsApprover(page: Page, seeded: Seeded, request: Locator, prompt: string) {
  await request.getByRole("button", { name: "Request review" }).click();
  await expect(page.getByTestId("pending-review")).toContainText("v2 for production");
  await signOut(page);

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/reviews`);
  await page.getByTestId("pending-review").getByRole("button", { name: "Review…" }).click();
  return page.getByRole("dialog", { name: `Review ${prompt} v2 for production` });
}
