import { expect, signIn, test } from "./fixtures";

test("a signed-in user creates a project from the switcher and becomes its admin", async ({ page, seeded }) => {
  await signIn(page, seeded.users.viewer);
  await page.goto(`/${seeded.slug}/prompts`);
  await page.getByLabel("Project").selectOption({ label: "+ New project…" });
  await expect(page).toHaveURL(/\/projects\/new$/);
  await page.getByLabel("Slug").fill("login");
  await page.getByLabel("Name").fill("Team Atlas");
  await expect(page.getByLabel("Slug")).toHaveValue("login"); // edited by hand: no longer follows the name
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByText("Slug login is reserved; choose another.")).toBeVisible();
  const slug = `atlas-${seeded.slug.slice(-8)}`;
  await page.getByLabel("Slug").fill(slug);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/prompts$`));
  await expect(page.getByText(`${seeded.users.viewer.email} · admin`)).toBeVisible();
});
