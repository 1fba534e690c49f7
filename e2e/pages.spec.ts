import {
  checkedScreenshot,
  expect,
  expectNoSeriousA11yViolations,
  seedDeploy,
  seedPrompt,
  signIn,
  test,
} from "./fixtures";

test("an admin filters the activity log by prompt, user and action", async ({ page, seeded }) => {
  await seedPrompt(seeded, "alpha", [
    { type: "text", template: "A" },
    { type: "text", template: "A2" },
  ]);
  await seedPrompt(seeded, "beta", [{ type: "text", template: "B" }]);
  await seedDeploy(seeded, "alpha", "staging", 2);
  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/activity`);
  await expect(page.getByRole("table", { name: "Audit log" })).toContainText("Created a prompt");
  // Actions read as words, never as ids, and every audited action can be filtered on.
  await expect(page.getByRole("table", { name: "Audit log" })).not.toContainText("prompt.create");
  const actions = page.getByLabel("Action");
  for (const words of ["Ran a prompt in the playground", "Added a model connection", "Joined the project"])
    await expect(actions.locator("option", { hasText: words })).toHaveCount(1);
  await expect(actions.locator("optgroup")).toHaveCount(8);
  await checkedScreenshot(page, "activity");

  await page.getByLabel("Prompt").selectOption("alpha");
  await page.getByLabel("Action").selectOption("deployment.promote");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/prompt=alpha/);
  const rows = page.getByRole("table", { name: "Audit log" }).locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("staging: v2");

  await page.getByLabel("Prompt").selectOption("");
  await page.getByLabel("Action").selectOption("");
  const admin = await page
    .getByLabel("User")
    .locator("option", { hasText: seeded.users.admin.email })
    .getAttribute("value");
  await page.getByLabel("User").selectOption(admin!);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No activity matches")).toBeVisible();
});

test("the prompt list filters as you type, and the URL follows", async ({ page, seeded }) => {
  for (const name of ["billing/refunds", "billing/invoices", "support/greeting"])
    await seedPrompt(seeded, name, [{ type: "text", template: name }]);
  await signIn(page, seeded.users.viewer);
  await page.goto(`/${seeded.slug}/prompts`);
  const table = page.getByRole("table", { name: "Prompts" });
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await page.getByLabel("Search").focus();
  await page.keyboard.type("invo", { delay: 30 });
  await expect(page).toHaveURL(/\?q=invo$/);
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText("billing/invoices");
  await expect(page.getByLabel("Search")).toBeFocused();
  await expect(page.getByLabel("Search")).toHaveValue("invo");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await expect(page).toHaveURL(new RegExp(`/${seeded.slug}/prompts$`));
  await expect(table.locator("tbody tr")).toHaveCount(3);
});

test("a product manager narrows a library of prompts by folder tree, status and text, and sorts it", async ({
  page,
  seeded,
}) => {
  for (const name of ["shop/billing/refunds", "shop/billing/invoices", "shop/greeting", "internal/notes"])
    await seedPrompt(seeded, name, [{ type: "text", template: `About ${name.split("/").at(-1)}: be brief.` }]);
  await seedDeploy(seeded, "shop/greeting", "staging", 1);
  await signIn(page, seeded.users.viewer);
  await page.goto(`/${seeded.slug}/prompts`);
  const table = page.getByRole("table", { name: "Prompts" });
  const folders = page.getByRole("navigation", { name: "Folders" });
  // The tree: shop/ holds a subfolder that unfolds; choosing it keeps it open.
  await expect(folders.getByRole("link", { name: /^billing\// })).toBeHidden();
  await folders.getByText("1 subfolder").click();
  await folders.getByRole("link", { name: /^billing\// }).click();
  await expect(page).toHaveURL(/folder=shop%2Fbilling/);
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await expect(folders.getByRole("link", { name: /^billing\// })).toHaveAttribute("aria-current", "page");
  // Status filters keep the folder.
  await folders.getByRole("link", { name: /^All prompts/ }).click();
  await expect(page).not.toHaveURL(/folder=/);
  await page.getByRole("navigation", { name: "Status" }).getByRole("link", { name: "Live in staging" }).click();
  await expect(page).toHaveURL(/env=staging/);
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText("shop/greeting");
  await page.getByRole("navigation", { name: "Status" }).getByRole("link", { name: "Live in staging" }).click();
  await expect(table.locator("tbody tr")).toHaveCount(4);
  // Search reads the template text, not only names.
  await page.getByLabel("Search").focus();
  await page.keyboard.type("invoices: be", { delay: 20 });
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText("shop/billing/invoices");
  await page.getByLabel("Search").fill("");
  await page.keyboard.press("Enter");
  await expect(table.locator("tbody tr")).toHaveCount(4);
  // Newest first puts the last one made on top; the owner column names who made them.
  await page.getByRole("navigation", { name: "Sort" }).getByRole("link", { name: "Newest" }).click();
  await expect(page).toHaveURL(/sort=created/);
  await expect(table.locator("tbody tr").first()).toContainText("internal/notes");
  await expect(table.getByRole("columnheader", { name: "Owner" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("an admin sees the public id, creates an API key shown once, revokes it, and changes environment rules", async ({
  page,
  seeded,
}) => {
  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/settings`);
  await expect(page.getByTestId("public-id")).toHaveText(/^pk-lt-/);
  await expect(page.getByRole("table", { name: "Members" })).toContainText(seeded.users.viewer.email);
  await checkedScreenshot(page, "settings");

  await page.getByLabel("Key name").fill("support bot");
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "API key “support bot” created" });
  await expect(shown.getByLabel("Your new key")).toHaveValue(/^lk_rt_/);
  const key = await shown.getByLabel("Your new key").inputValue();
  await shown.getByRole("button", { name: "I have copied it" }).click();
  await expect(page.getByRole("table", { name: "API keys" })).toContainText("support bot");
  await expect(page.getByText(key)).toHaveCount(0); // never shown again

  await page.getByRole("table", { name: "API keys" }).getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog", { name: "Revoke support bot?" }).getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("table", { name: "API keys" })).toContainText("revoked");

  await page.getByRole("checkbox", { name: "Requires an approved review" }).last().check();
  await page.getByRole("button", { name: "Save rules" }).last().click();
  await expect(page.getByText("Saved the rules of production.")).toBeVisible();
});
