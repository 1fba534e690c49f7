// A prompt named as Langfuse allows (a folder, a space, a dot, capitals, brackets, a '%') through every
// page that takes a name: created with real keystrokes, opened from the list, edited, compared, and its
// online-evaluation page; the URL is the one encoding rule (encodePromptName), and each page finds it.
import { editorLoad, expect, screenshot, seedPrompt, signIn, test, typeInEditor, versionContent } from "./fixtures";

const name = "Support Team/Reply v2.1 [beta] 50%";
const encoded = "Support%20Team/Reply%20v2.1%20%5Bbeta%5D%2050%25";

test("a name with a space, a dot, capitals, brackets and '%' works on every prompt page", async ({ page, seeded }) => {
  // A prompt whose name differs only in case is another prompt: the pages must not mix them up.
  await seedPrompt(seeded, "Support Team/reply v2.1 [beta] 50%", [
    { type: "text", template: "I am the lowercase one.", variables: [] },
  ]);
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/new`);
  await expect(page.getByTestId("template-editor")).toHaveAttribute("data-ready", "true", { timeout: editorLoad });
  await page.getByLabel("Name", { exact: true }).pressSequentially(name, { delay: 20 });
  await typeInEditor(page, "Prompt template", "Hello from the odd one.", 20);
  await page.getByLabel("Commit message").pressSequentially("First", { delay: 20 });
  await page.getByRole("button", { name: "Create prompt" }).click();
  await page.waitForURL((u) => u.pathname === `/${seeded.slug}/prompts/${encoded}`);
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("prompt-content")).toContainText("Hello from the odd one.");
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("Prompts / Support Team");
  await screenshot(page, "prompt-odd-name");

  // From the list, the link goes to the same page (and not to the lowercase twin).
  await page.goto(`/${seeded.slug}/prompts`);
  await page.getByRole("link", { name, exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/${seeded.slug}/prompts/${encoded}`);
  await expect(page.getByTestId("prompt-content")).toContainText("Hello from the odd one.");

  // Edit: a second version.
  await page.getByRole("link", { name: "Edit prompt" }).click();
  await page.waitForURL((u) => u.pathname === `/${seeded.slug}/edit/${encoded}`);
  await expect(page.getByRole("heading", { name: `Edit ${name}` })).toBeVisible();
  await typeInEditor(page, "Prompt template", "Hello again from the odd one.", 20);
  await page.getByLabel("Commit message").pressSequentially("Second", { delay: 20 });
  await page.getByRole("button", { name: "Save as new version" }).click();
  await page.waitForURL((u) => u.pathname === `/${seeded.slug}/prompts/${encoded}`);
  await expect(page.getByTestId("version-2")).toContainText("Second");
  expect(await versionContent(seeded, name, 2)).toMatchObject({ template: "Hello again from the odd one." });

  // Compare, and the online-evaluation page.
  await page.getByTestId("version-2").getByRole("link", { name: "Compare with v1" }).click();
  await page.waitForURL((u) => u.pathname === `/${seeded.slug}/diff/${encoded}`);
  await expect(page.getByText("Hello again from the odd one.").first()).toBeVisible();
  await page.goto(`/${seeded.slug}/prompts/${encoded}`);
  await page.getByRole("link", { name: "Set up" }).click();
  await page.waitForURL((u) => u.pathname === `/${seeded.slug}/online/${encoded}`);
  await expect(page.getByRole("link", { name })).toBeVisible();

  // The twin that differs only in case is its own prompt.
  await page.goto(`/${seeded.slug}/prompts/Support%20Team/reply%20v2.1%20%5Bbeta%5D%2050%25`);
  await expect(page.getByTestId("prompt-content")).toContainText("I am the lowercase one.");
});
