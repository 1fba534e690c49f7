import { checkedScreenshot, expect, seedDeploy, seedPrompt, signIn, test } from "./fixtures";

test("a viewer can read everything but change nothing, and every blocked button says why", async ({ page, seeded }) => {
  await seedPrompt(
    seeded,
    "welcome",
    [
      { type: "text", template: "Welcome, {{name}}!", variables: [{ name: "name", type: "string" }] },
      { type: "text", template: "Welcome aboard, {{name}}!", variables: [{ name: "name", type: "string" }] },
    ],
    { live: ["production"] },
  );
  await seedDeploy(seeded, "welcome", "production", 2);
  await signIn(page, seeded.users.viewer);

  await page.goto(`/${seeded.slug}/prompts`);
  const create = page.getByRole("button", { name: "New prompt" });
  await expect(create).toHaveAttribute("aria-disabled", "true");
  await expect(create).toHaveAccessibleDescription(
    "Your role (viewer) cannot create prompts; editor or higher is required.",
  );
  await create.click({ force: true }); // does nothing
  await expect(page).toHaveURL(new RegExp(`/${seeded.slug}/prompts$`));

  await page.goto(`/${seeded.slug}/prompts/welcome`);
  await expect(page.getByTestId("live-production")).toHaveText("v2");
  await expect(page.getByRole("link", { name: "Edit prompt" })).toHaveCount(0);
  await expect(
    page.getByText("Your role (viewer) cannot create versions; editor or higher is required.").first(),
  ).toBeVisible();
  const production = page.getByTestId("env-production");
  for (const [name, reason] of [
    ["Promote…", "Your role (viewer) cannot deploy to protected environments; approver or higher is required."],
    ["Roll back…", "Your role (viewer) cannot roll back; approver or higher is required."],
    ["Request review…", "Your role (viewer) cannot request reviews; editor or higher is required."],
  ] as const) {
    const button = production.getByRole("button", { name });
    await expect(button).toHaveAttribute("aria-disabled", "true");
    await expect(button).toHaveAccessibleDescription(reason);
  }
  // The reason is also visible on hover and on keyboard focus.
  await production.getByRole("button", { name: "Roll back…" }).hover();
  await expect(page.getByRole("tooltip").filter({ hasText: "cannot roll back" })).toBeVisible();
  await production.getByRole("button", { name: "Roll back…" }).click({ force: true });
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New draft copy…" })).toHaveAttribute("aria-disabled", "true");
  await checkedScreenshot(page, "prompt-page-viewer");

  // Opening the editor by URL gives a read-only view; saving is blocked with the reason.
  await page.goto(`/${seeded.slug}/edit/welcome`);
  await expect(
    page.getByText("Read only: Your role (viewer) cannot create versions; editor or higher is required."),
  ).toBeVisible();
  const save = page.getByRole("button", { name: "Save as new version" });
  await expect(save).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByRole("button", { name: "+ Add variable" })).toHaveCount(0);
  // The whole form is read only, not just its button.
  await expect(page.getByLabel("Commit message")).not.toBeEditable();
  await expect(page.getByLabel("Temperature")).not.toBeEditable();
  await expect(page.getByLabel("Description").first()).not.toBeEditable();
  await page.goto(`/${seeded.slug}/new`);
  await expect(page.getByLabel("Name", { exact: true })).not.toBeEditable();
  await expect(page.getByLabel("Commit message")).not.toBeEditable();
  await expect(page.getByRole("button", { name: "+ Add variable" })).toHaveCount(0);

  await page.goto(`/${seeded.slug}/settings`);
  await expect(page.getByText("Your role (viewer) cannot manage API keys; admin or higher is required.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Add or invite" })).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByRole("button", { name: "Save rules" }).first()).toHaveAttribute("aria-disabled", "true");
});
