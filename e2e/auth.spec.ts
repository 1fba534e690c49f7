import { checkedScreenshot, expect, signIn, signInWithPassword, test } from "./fixtures";

test("an unauthenticated visit goes to sign-in; a wrong password is refused with a clear message", async ({
  page,
  seeded,
}) => {
  await page.goto(`/${seeded.slug}/prompts`);
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Sign in to Lectern" })).toBeVisible();
  await checkedScreenshot(page, "login");
  await page.getByLabel("Email").fill(seeded.users.editor.email);
  await page.getByLabel("Password").fill("definitely-wrong");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Next's route announcer is also role=alert; pick ours by its text.
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("signing in lands on the project's prompts with the user's role shown", async ({ page, seeded }) => {
  await signInWithPassword(page, seeded.users.viewer);
  await page.goto(`/${seeded.slug}/prompts`);
  await expect(page.getByText(`${seeded.users.viewer.email} · viewer`)).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Prompts" })).toHaveAttribute(
    "aria-current",
    "page",
  );
});

test("a member of one project cannot open another project", async ({ page, seeded, database }) => {
  const { seedProject } = await import("./fixtures");
  const other = await seedProject(database);
  await signIn(page, seeded.users.admin);
  const res = await page.goto(`/${other.slug}/prompts`);
  expect(res?.status()).toBe(404);
});
