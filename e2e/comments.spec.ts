import { requestReview } from "../lib/release/reviews/reviews";
import { checkedScreenshot, expect, hydrated, seedPrompt, signIn, signOut, systemCtx, test } from "./fixtures";

test("an editor mentions the approver in a review's discussion; a stranger cannot be mentioned; a viewer reads", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "billing", [
    { type: "text", template: "You answer billing questions." },
    { type: "text", template: "You answer billing questions. Be brief." },
  ]);
  await requestReview(systemCtx(seeded), "billing", { version: 2, environment: "staging", acknowledgeMissing: true });
  const approver = seeded.users.approver.email.split("@")[0]!;

  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/reviews`);
  await hydrated(page);
  const row = page.getByTestId("pending-review").filter({ hasText: "billing" });
  await row.getByText("Discussion (0)").click();
  const box = row.getByLabel("Comment", { exact: true });
  await box.focus();
  await page.keyboard.type("@nobody-here can you look?", { delay: 10 });
  await row.getByRole("button", { name: "Add comment" }).click();
  await expect(row.getByText("@nobody-here is not a member of this project")).toBeVisible();
  await box.fill("");
  await box.focus();
  await page.keyboard.type(`@${approver} is the shorter tone fine for billing?`, { delay: 10 });
  await row.getByRole("button", { name: "Add comment" }).click();
  const thread = row.getByRole("list", { name: "Comments on billing v2" });
  await expect(thread.getByRole("listitem")).toHaveCount(1);
  await expect(thread.locator("strong")).toHaveText(/^@Approver /);
  await expect(thread).toContainText("is the shorter tone fine for billing?");
  await expect(box).toHaveValue("");
  await expect(row.getByText("Discussion (1)")).toBeVisible();
  await checkedScreenshot(page, "review-discussion");
  // The version's page shows the same discussion, and takes comments too.
  await page.goto(`/${seeded.slug}/prompts/billing?show=2`);
  // Typed and sent once React has hydrated the page: a click before that sends nothing (seen under load).
  await hydrated(page);
  const card = page.locator("#comments");
  await expect(card.getByRole("list", { name: "Comments on billing v2" })).toContainText("shorter tone");
  await card.getByLabel("Comment", { exact: true }).focus();
  await page.keyboard.type("Shipping it to staging first.", { delay: 10 });
  await card.getByRole("button", { name: "Add comment" }).click();
  await expect(card.getByRole("listitem")).toHaveCount(2);
  await signOut(page);

  await signIn(page, seeded.users.viewer);
  await page.goto(`/${seeded.slug}/reviews`);
  const seen = page.getByTestId("pending-review").filter({ hasText: "billing" });
  await expect(seen.getByRole("list", { name: "Comments on billing v2" })).toContainText("shorter tone");
  await expect(seen.getByLabel("Comment", { exact: true })).toHaveCount(0);
  await expect(seen.getByText(/cannot comment on versions/)).toBeVisible();
});
