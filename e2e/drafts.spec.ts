import {
  checkedScreenshot,
  expect,
  fillEditor,
  seedPrompt,
  seedVersion,
  signIn,
  test,
  versionContent,
} from "./fixtures";

test("a draft copy is edited, the prompt moves on, and the draft is merged with its conflict resolved", async ({
  page,
  seeded,
}) => {
  const base = "You are a helpful assistant.\nGreet the customer.\nAnswer in English.";
  await seedPrompt(seeded, "assistant", [
    { type: "text", template: base, variables: [], config: { temperature: 0.5 } },
  ]);
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/prompts/assistant`);
  await page.getByRole("button", { name: "New draft copy…" }).click();
  const create = page.getByRole("dialog", { name: "New draft copy" });
  await create.getByLabel("Draft name").fill("warmer-greeting");
  await create.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("heading", { name: /Draft “warmer-greeting”/ })).toBeVisible();

  await fillEditor(
    page,
    "Prompt template",
    "You are a helpful assistant.\nGreet the customer warmly, by name.\nAnswer in English.",
  );
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  await page.getByRole("tab", { name: "Changes since v1" }).click();
  await expect(page.getByTestId("diff-summary")).toContainText("Template: 1 line changed");
  await checkedScreenshot(page, "draft");

  // Meanwhile someone else changes the same line in version 2 (and a setting the draft left alone).
  await seedVersion(seeded, "assistant", {
    template: "You are a helpful assistant.\nGreet the customer briefly.\nAnswer in English.",
    config: { temperature: 0.2 },
    commitMessage: "Brief greeting",
  });

  await page.getByLabel("Commit message for the merge").fill("Warmer greeting from the draft");
  await page.getByRole("button", { name: "Merge as new version" }).click();
  await expect(page.getByRole("heading", { name: "Resolve 1 conflict" })).toBeVisible();
  const conflict = page.getByTestId("merge-conflict");
  await expect(conflict.getByRole("heading", { name: "Template" })).toBeVisible();
  await expect(conflict.getByText("Conflict markers remain in this text.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Merge with these resolutions" })).toBeDisabled();
  await expect(conflict.locator(".monaco-diff-editor .editor.original")).toContainText("Greet the customer briefly.");
  await checkedScreenshot(page, "draft-conflict");

  // Resolve in the diff editor: keep the draft's line, then edit the resolution by hand.
  await conflict.getByRole("button", { name: "Use the draft’s text" }).click();
  await expect(conflict.getByText("Resolved.")).toBeVisible();
  await fillEditor(
    page,
    "Template resolution: your resolution",
    "You are a helpful assistant.\nGreet the customer warmly and briefly, by name.\nAnswer in English.",
  );
  await page.getByRole("button", { name: "Merge with these resolutions" }).click();
  await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/assistant`));
  await expect(page.getByTestId("version-3")).toContainText("Warmer greeting from the draft");

  // The clean part of the merge (temperature from version 2) is kept along with the resolution.
  expect(await versionContent(seeded, "assistant", 3)).toMatchObject({
    template: "You are a helpful assistant.\nGreet the customer warmly and briefly, by name.\nAnswer in English.",
    config: { temperature: 0.2 },
  });
  await expect(page.getByRole("link", { name: "warmer-greeting" })).toHaveCount(0); // merged drafts are closed
});
