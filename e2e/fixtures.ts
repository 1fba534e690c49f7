// Each spec seeds its own project (with one user per role) straight into the server's database,
// through the same lib/ functions the product uses, then signs in through the real login page.
import { randomBytes } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { openDatabase, type Database } from "../db/client";
import { addMember, createProject } from "../lib/auth/projects";
import type { Actor, Role } from "../lib/auth/permissions";

export type Seeded = {
  slug: string;
  projectId: string;
  users: Record<Role, { email: string; password: string }>;
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
    const password = `${role}-password-${id}`;
    await addMember(database.db, system, project.id, { email, name: `${role[0]!.toUpperCase()}${role.slice(1)} ${id}`, password, role });
    users[role] = { email, password };
  }
  return { slug, projectId: project.id, users, database };
}

export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

export async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

export const test = base.extend<{ seeded: Seeded }, { database: Database }>({
  database: [
    async ({}, use) => {
      const url = process.env.LECTERN_TEST_DATABASE_URL;
      if (!url) throw new Error("LECTERN_TEST_DATABASE_URL is not set: run e2e through scripts/with-server.sh postgres (npm test does).");
      const database = await openDatabase({ url, poolSize: 2 });
      await use(database);
      await database.close();
    },
    { scope: "worker" },
  ],
  seeded: async ({ database }, use) => {
    await use(await seedProject(database));
  },
});

export { expect };
