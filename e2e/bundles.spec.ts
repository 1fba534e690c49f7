// Agent bundles in the browser (issue 42): an approver creates a bundle of two prompts, releases both to
// production in one action after seeing each member's plan, and rolls both back in one; an application
// resolving the bundle in a loop all the while never gets one member from before and one from after.
import { createApiKey } from "../lib/auth/api-keys";
import { expect, screenshot, seedDeploy, seedPrompt, signIn, test } from "./fixtures";
import { api } from "./journey-calls";

const system = { type: "system", label: "e2e" } as const;
const text = (template: string) => ({ type: "text", template });

test("a bundle of two prompts is released to production in one action and rolled back in one", async ({
  page,
  seeded,
}) => {
  const db = seeded.database.db;
  for (const name of ["agent/system", "agent/tools"]) {
    await seedPrompt(seeded, name, [text(`${name} one`), text(`${name} two`)]);
    await seedDeploy(seeded, name, "production", 1);
  }
  const runtime = (await createApiKey(db, system, seeded.projectId, { name: "agent app", scope: "runtime" })).key;
  const versions = async () => {
    const r = await api(runtime, "GET", "/api/v1/bundles/agent/resolve?environment=production");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return Object.values(r.body.prompts as Record<string, { version: number }>).map((p) => p.version);
  };

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/prompts`);
  await page.getByRole("link", { name: "Bundles" }).click();
  await page.getByLabel("Bundle name").fill("agent");
  await page.getByLabel("Filter prompts").fill("agent/");
  await page.getByRole("checkbox", { name: "agent/system" }).check();
  await page.getByRole("checkbox", { name: "agent/tools" }).check();
  await page.getByRole("button", { name: "Create bundle" }).click();
  await expect(page).toHaveURL(new RegExp(`/${seeded.slug}/bundles/agent$`));

  // Both members' plans for production, then one release; a client resolving all the while never sees a mix.
  await page.getByLabel("Environment", { exact: true }).selectOption("production");
  await expect(page.getByLabel("agent/tools version")).toHaveValue("2");
  const plans = page.getByTestId("bundle-plans");
  await expect(plans.locator("[data-member-plan]")).toHaveCount(2);
  await expect(plans.locator('[data-status="ready"]')).toHaveCount(2);
  let switching = true;
  const seen: number[][] = [];
  const reader = (async () => {
    while (switching) seen.push(await versions());
  })();
  await page.getByRole("button", { name: "Release to production" }).click();
  const production = (member: string) => page.locator(`[data-member="${member}"] [data-env="production"]`);
  await expect(production("agent/system")).toHaveText("v2");
  await expect(production("agent/tools")).toHaveText("v2");
  // The form reads the plans again: both members are live now, so there is nothing to release.
  await expect(plans.locator('[data-status="live"]')).toHaveCount(2);
  await expect(page.getByRole("button", { name: "production serves these versions" })).toBeDisabled();
  await screenshot(page, "bundle-released");

  // One rollback returns both.
  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("bundle-history-production").getByRole("button", { name: "Roll back production" }).click();
  await expect(production("agent/system")).toHaveText("v1");
  await expect(production("agent/tools")).toHaveText("v1");
  switching = false;
  await reader;
  expect(seen.length).toBeGreaterThan(0);
  for (const [a, b] of seen) expect(a).toBe(b);
  expect(await versions()).toEqual([1, 1]);
  await expect(page.getByTestId("bundle-history-production").locator("[data-release]")).toHaveCount(2);
});
