import {
  checkedScreenshot,
  editorLoad,
  expect,
  holdMonaco,
  screenshot,
  seedPrompt,
  seedVersion,
  signIn,
  test,
  typeInEditor,
  versionContent,
} from "./fixtures";

test("an editor creates a prompt: declares its variable, previews it, saves version 1", async ({
  page,
  seeded,
  baseURL,
}) => {
  // Monaco is served by Lectern itself: no request may leave the server (no CDN).
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/prompts`);
  await expect(page.getByText("No prompts yet")).toBeVisible();
  await checkedScreenshot(page, "prompts-empty");

  await page.getByRole("link", { name: "Create your first prompt" }).click();
  await expect(page.getByRole("heading", { name: "New prompt" })).toBeVisible();
  // An untouched form is not "wrong": no problems are listed before anything was written.
  await expect(page.getByTestId("template-editor")).toHaveAttribute("data-ready", "true", { timeout: editorLoad });
  await expect(page.getByText(/to fix before saving/)).toHaveCount(0);
  await screenshot(page, "prompt-new-empty");
  await page.getByLabel("Name", { exact: true }).fill("support/greeting");
  await page.getByLabel("Description").fill("Greets a customer by name.");
  await page.getByLabel("Tags").fill("support, e2e");
  await typeInEditor(page, "Prompt template", "Hello {{customer}}, thanks for writing to us.", 30);

  // The same validation as the server: the undeclared variable is marked in the editor and blocks saving until it is declared.
  await expect(page.getByText("The template uses variables that are not declared:")).toBeVisible();
  await expect(page.locator(".monaco-editor .squiggly-error").first()).toBeAttached();
  await expect(page.getByText(/problems? to fix before saving/)).toBeVisible();
  await page.getByRole("button", { name: "Declare customer" }).click();
  await expect(page.getByText("The template uses variables that are not declared:")).toBeHidden();
  await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(0);

  await page.getByLabel(/^customer/).fill("Ada");
  await expect(page.getByTestId("preview-output")).toHaveText("Hello Ada, thanks for writing to us.");
  await checkedScreenshot(page, "prompt-new");

  await page.getByLabel("Commit message").fill("First greeting");
  await page.getByRole("button", { name: "Create prompt" }).click();
  await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/support/greeting$`));
  await expect(page.getByRole("heading", { name: "support/greeting" })).toBeVisible();
  await expect(page.getByTestId("version-1")).toContainText("First greeting");
  const external = requests.filter((u) => /^https?:/.test(u) && new URL(u).origin !== new URL(baseURL!).origin);
  expect(external).toEqual([]);
  expect(requests.some((u) => u.includes("/monaco/vs/"))).toBe(true);
  expect(await versionContent(seeded, "support/greeting", 1)).toMatchObject({
    type: "text",
    template: "Hello {{customer}}, thanks for writing to us.",
    variables: [{ name: "customer", type: "string", required: true }],
  });

  await page.goto(`/${seeded.slug}/prompts`);
  await expect(page.getByRole("link", { name: "support/greeting" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: /support\// }),
  ).toBeVisible();
  await checkedScreenshot(page, "prompts-list");
});

test("an editor edits a prompt, saves a new version and sees the diff in words and side by side", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "summary", [
    {
      type: "text",
      template: "Summarise {{document}} in three bullet points.",
      variables: [{ name: "document", type: "string" }],
      config: { model: "gpt-4o-mini", temperature: 0.7 },
    },
  ]);
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/prompts/summary`);
  await page.getByRole("link", { name: "Edit prompt" }).click();
  await expect(page.getByRole("heading", { name: "Edit summary" })).toBeVisible();

  await typeInEditor(page, "Prompt template", "Summarise {{document}} in five short bullet points.", 0);
  // Autocomplete offers the declared variables after "{{".
  await page.keyboard.insertText(" {{doc");
  await page.keyboard.press("Control+Space");
  await expect(page.locator(".suggest-widget .monaco-list-row").filter({ hasText: "document" })).toBeVisible();
  await page.keyboard.press("Escape");
  await typeInEditor(page, "Prompt template", "Summarise {{document}} in five short bullet points.", 0);
  await page.getByLabel("Temperature").fill("0.2");
  await expect(page.getByText("Unsaved changes")).toBeVisible();
  await checkedScreenshot(page, "prompt-editor");

  // Leaving with unsaved changes asks first, in the app's own dialog; staying keeps the edit.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "summary" }).click();
  const leave = page.getByRole("dialog", { name: "You have unsaved changes. Leave without saving?" });
  await expect(leave).toBeVisible();
  await leave.getByRole("button", { name: "Cancel" }).click();
  await expect(leave).toBeHidden();
  await expect(page.getByRole("heading", { name: "Edit summary" })).toBeVisible();
  await expect(page.getByText("Unsaved changes")).toBeVisible();

  // A few-shot example: a bad input is marked, a good one is saved with the version.
  await page.getByRole("button", { name: "+ Add example" }).click();
  await page.getByLabel("Input (JSON object of variable values)").fill("[1]");
  await expect(page.getByLabel("Input (JSON object of variable values)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Input (JSON object of variable values)")).toHaveAccessibleDescription(
    "Must be a JSON object of variable values.",
  );
  await page.getByLabel("Input (JSON object of variable values)").fill('{"document": "Q3 revenue rose 4%."}');
  await page.getByLabel("Ideal output").fill("- Revenue up 4% in Q3");

  await page.getByLabel("Commit message").fill("Five bullets, steadier");
  await page.getByRole("button", { name: "Save as new version" }).click();
  await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/summary`));
  await expect(page.getByTestId("version-2")).toContainText("Five bullets, steadier");
  await expect(page.getByTestId("version-2")).toContainText("Temperature 0.7 → 0.2");
  expect(await versionContent(seeded, "summary", 2)).toMatchObject({
    template: "Summarise {{document}} in five short bullet points.",
    config: { temperature: 0.2 },
    examples: [{ input: { document: "Q3 revenue rose 4%." }, output: "- Revenue up 4% in Q3" }],
  });

  await page.getByRole("link", { name: "Compare with v1" }).click();
  await expect(page.getByRole("heading", { name: "Compare versions of summary" })).toBeVisible();
  const summary = page.getByTestId("diff-summary");
  await expect(summary).toContainText("Template: 1 line changed");
  await expect(summary).toContainText("Temperature 0.7 → 0.2");
  // Monaco's side-by-side diff: the old and the new line, each on its side.
  await expect(page.locator(".monaco-diff-editor")).toBeVisible();
  await expect(page.locator(".monaco-diff-editor .editor.original")).toContainText("three bullet points");
  await expect(page.locator(".monaco-diff-editor .editor.modified")).toContainText("five short bullet points");
  await checkedScreenshot(page, "prompt-diff");
});

test("saving on top of a version someone else saved meanwhile is a conflict, resolved by merging", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "faq", [
    { type: "text", template: "Answer the question.\nUse the knowledge base.\nBe brief.", variables: [], config: {} },
  ]);
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/edit/faq`);
  await typeInEditor(
    page,
    "Prompt template",
    "Answer the customer's question.\nUse the knowledge base.\nBe brief.",
    80,
  );
  // Another editor saves version 2 while this edit is open.
  await seedVersion(seeded, "faq", {
    template: "Answer the question.\nUse the knowledge base.\nBe brief and friendly.",
    commitMessage: "Friendlier",
  });

  await page.getByLabel("Commit message").fill("Address the customer");
  await page.getByRole("button", { name: "Save as new version" }).click();
  const dialog = page.getByRole("dialog", { name: "Version 2 was saved while you were editing" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("diff-summary")).toContainText("Template: 1 line changed");
  await dialog.getByRole("button", { name: "Merge their changes into my edit" }).click();
  await page.getByRole("button", { name: "Save as new version" }).click();
  await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/faq`));
  expect((await versionContent(seeded, "faq", 3)).template).toBe(
    "Answer the customer's question.\nUse the knowledge base.\nBe brief and friendly.",
  );
});

test("a chat prompt: messages with roles, added, reordered and removed", async ({ page, seeded }) => {
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/new`);
  await page.getByLabel("Name", { exact: true }).fill("triage");
  await page.getByRole("radio", { name: /Chat/ }).check();
  await typeInEditor(page, "Message 1 (user) template", "Classify: {{ticket}}", 30);
  await page.getByRole("button", { name: "+ Add message" }).click();
  await page.getByLabel("Message 2 role").selectOption("system");
  await typeInEditor(page, "Message 2 (system) template", "You triage support tickets.", 80);
  await page.getByRole("button", { name: "Move message 2 up" }).click();
  await expect(page.getByLabel("Message 1 role")).toHaveValue("system");
  await page.getByRole("button", { name: "+ Add message" }).click();
  await page.getByRole("button", { name: "Remove message 3" }).click();
  await page.getByRole("button", { name: "Declare ticket" }).click();
  await page.getByLabel(/^ticket/).fill("My invoice is wrong");
  await expect(page.getByTestId("preview-output")).toContainText("Classify: My invoice is wrong");
  await page.getByRole("button", { name: "Create prompt" }).click();
  await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/triage$`));
  expect(await versionContent(seeded, "triage", 1)).toMatchObject({
    type: "chat",
    template: [
      { role: "system", content: "You triage support tickets." },
      { role: "user", content: "Classify: {{ticket}}" },
    ],
  });
});

test("before the editor has loaded, its place shows the template as the editor will, then the editor takes over", async ({
  page,
  seeded,
}) => {
  const template = "You summarise {{document}}.\nUse at most {{count}} bullet points.\nBe neutral.";
  await seedPrompt(seeded, "slow", [
    { type: "text", template, variables: [{ name: "document" }, { name: "count", type: "number" }] },
  ]);
  const release = await holdMonaco(page);
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/edit/slow`);
  const box = page.getByTestId("template-editor");
  await expect(box).not.toHaveAttribute("data-ready", "true");
  await expect(box).toContainText("Use at most {{count}} bullet points.");
  await expect(box.getByRole("status")).toHaveText("Loading the editor for Prompt template…");
  const before = await box.boundingBox();
  await screenshot(page, "prompt-editor-loading");
  release();
  await expect(box).toHaveAttribute("data-ready", "true");
  await expect(page.getByRole("textbox", { name: "Prompt template" })).toBeAttached();
  await expect(box.locator(".view-lines")).toContainText("Use at most {{count}} bullet points.");
  expect((await box.boundingBox())?.height).toBe(before?.height);
});
