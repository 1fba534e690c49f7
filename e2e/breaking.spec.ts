// Breaking changes for the applications that call a prompt are said where they are made (the save
// bar) and where they go live (promote and review dialogs), and a protected environment takes them
// only after an explicit confirmation.
import {
  checkedScreenshot,
  expect,
  screenshot,
  seedPrompt,
  signIn,
  signOut,
  test,
  typeInEditor,
  versionContent,
  requestAndOpenAsApprover,
} from "./fixtures";

const v1 = { type: "text", template: "Hello {{customer}}.", variables: [{ name: "customer", type: "string" }] };

test("a new required variable is flagged in the save bar and must be confirmed before it reaches production", async ({
  page,
  seeded,
}) => {
  // Typing, two roles and three dialogs: 60 s on a quiet machine, more on a busy one (it ran out at the default 60 s
  // under a load of 20 on two cores, having passed every step it reached). Waiting longer is not a speed claim.
  test.setTimeout(120_000);
  await seedPrompt(seeded, "orders", [v1], { live: ["staging", "production"] });

  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/edit/orders`);
  await typeInEditor(page, "Prompt template", "Hello {{customer}}. Your order {{order_id}} has shipped.", 30);
  await page.getByRole("button", { name: "Declare order_id" }).click();
  // Used outside any section: declared required, and that breaks every caller that does not send it.
  await expect(page.getByRole("checkbox", { name: "Required", exact: true }).nth(1)).toBeChecked();
  const warning = page.getByTestId("breaking-changes");
  await expect(warning).toContainText("New required variable order_id (string) without a default.");
  await expect(warning).toContainText("422");
  await expect(warning).toContainText("compared with version 1");
  await checkedScreenshot(page, "editor-breaking-change");

  // The quick fix makes it optional, and the warning goes; required again, it comes back.
  await warning.getByRole("button", { name: "Make order_id optional" }).click();
  await expect(page.getByTestId("breaking-changes")).toHaveCount(0);
  await page.getByRole("checkbox", { name: "Required", exact: true }).nth(1).check();
  await expect(page.getByTestId("breaking-changes")).toBeVisible();
  // "Give it a default…" takes the reader to the default field.
  await page.getByTestId("breaking-changes").getByRole("button", { name: "Give order_id a default…" }).click();
  await expect(page.getByLabel("Default").nth(1)).toBeFocused();

  await page.getByLabel("Commit message").fill("Mention the order");
  await page.getByRole("button", { name: "Save as new version" }).click();
  await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/orders`));
  await expect(page.getByTestId("version-2-breaking")).toContainText("New required variable order_id");
  expect(await versionContent(seeded, "orders", 2)).toMatchObject({
    variables: [{ name: "customer" }, { name: "order_id", type: "string", required: true }],
  });
  await signOut(page);

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/prompts/orders`);
  // Staging is not protected: the change is shown, no confirmation is asked.
  await page.getByTestId("env-staging").getByRole("button", { name: "Promote…" }).click();
  let dialog = page.getByRole("dialog", { name: "Promote to staging" });
  await expect(dialog.getByTestId("breaking-changes")).toContainText("order_id");
  await expect(dialog.getByRole("checkbox", { name: /I understand/ })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Promote version 2 to staging" }).click();
  await expect(page.getByTestId("live-staging")).toHaveText("v2");

  await page.getByTestId("env-production").getByRole("button", { name: "Promote…" }).click();
  dialog = page.getByRole("dialog", { name: "Promote to production" });
  await expect(dialog.getByTestId("breaking-changes")).toContainText(
    "New required variable order_id (string) without a default.",
  );
  const promote = dialog.getByRole("button", { name: "Promote version 2 to production" });
  await expect(promote).toBeDisabled();
  await checkedScreenshot(page, "promote-dialog-breaking");
  await dialog.getByRole("checkbox", { name: /I understand that applications not yet updated/ }).check();
  await expect(promote).toBeEnabled();
  await promote.click();
  await expect(page.getByText("production now serves version 2.")).toBeVisible();
  await expect(page.getByTestId("live-production")).toHaveText("v2");
});

test("a variable used only inside a section is declared optional, and the change is compatible", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "greeting", [v1], { live: ["production"] });
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/edit/greeting`);
  await typeInEditor(page, "Prompt template", "Hello {{customer}}.{{#vip}} Thanks for being a VIP.{{/vip}}", 0);
  await page.getByRole("button", { name: "Declare vip" }).click();
  await expect(page.getByLabel("Type").nth(1)).toHaveValue("boolean");
  await expect(page.getByRole("checkbox", { name: "Required", exact: true }).nth(1)).not.toBeChecked();
  await expect(page.getByText("Optional: when applications leave it out, it is empty.")).toBeVisible();
  await expect(page.getByTestId("breaking-changes")).toHaveCount(0);
  await page.getByRole("button", { name: "Save as new version" }).click();
  await page
    .getByRole("dialog", { name: "Describe this version" })
    .getByRole("button", { name: "Save with this message" })
    .click();
  await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/greeting`));
  expect(await versionContent(seeded, "greeting", 2)).toMatchObject({
    variables: [{ name: "customer" }, { name: "vip", type: "boolean", required: false }],
  });
  await expect(page.getByTestId("version-2-breaking")).toHaveCount(0);
});

test("approving a review that deploys a breaking change to production asks for the same confirmation", async ({
  page,
  seeded,
}) => {
  await seedPrompt(
    seeded,
    "refunds",
    [
      v1,
      {
        ...v1,
        template: "Hello {{customer}}, refund {{amount}}.",
        variables: [...v1.variables, { name: "amount", type: "number" }],
      },
    ],
    { live: ["production"] },
  );
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/prompts/refunds`);
  await page.getByTestId("env-production").getByRole("button", { name: "Request review…" }).click();
  const request = page.getByRole("dialog", { name: "Request review for production" });
  await expect(request.getByTestId("breaking-changes")).toContainText("New required variable amount (number)");
  await expect(request.getByText("The approver will be asked to confirm these changes")).toBeVisible();
  const review = await requestAndOpenAsApprover(page, seeded, request, "refunds");
  const approve = review.getByRole("button", { name: "Approve and deploy to production" });
  await expect(review.getByTestId("breaking-changes")).toContainText("amount");
  await expect(approve).toBeDisabled();
  await screenshot(page, "review-dialog-breaking");
  await review.getByRole("checkbox", { name: /I understand/ }).check();
  await approve.click();
  await expect(page.getByText("Approved: production now serves version 2 of refunds.")).toBeVisible();
  await expect(page.getByTestId("decided-by").first()).toContainText(`Approved by Approver ${seeded.slug.slice(4)}`);
  await screenshot(page, "reviews-decided");

  // The activity log links review entries to their prompt too.
  await page.goto(`/${seeded.slug}/activity`);
  const approved = page
    .getByRole("table", { name: "Audit log" })
    .locator("tbody tr")
    .filter({ hasText: "Approved a review" });
  await expect(approved.getByRole("link", { name: "refunds" })).toHaveAttribute(
    "href",
    `/${seeded.slug}/prompts/refunds#reviews`,
  );
});
