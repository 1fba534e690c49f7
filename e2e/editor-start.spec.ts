// The editor's starting points keep work (docs/decisions/version-in-view.md): with a line typed by hand, each way of
// choosing another base (a Start-from link, the version picker, a navigation made in code, the browser's Back) asks
// first; Cancel keeps the text, and "Leave without saving" loads that version's whole content under a heading that names it. The prompt page,
// its Playground and the editor show one version in view (?version=), the newest by default.
import type { Page } from "@playwright/test";
import { getPrompt } from "../lib/registry/prompts";
import { getVersion } from "../lib/registry/versions";
import { checkedScreenshot, editorLoad, expect, screenshot, seedDeploy, seedPrompt, signIn, test } from "./fixtures";

const system = (text: string) => ({
  type: "chat",
  template: [
    { role: "system", content: text },
    { role: "user", content: "{{question}}" },
  ],
  variables: [
    { name: "company", type: "string", default: "Acme" },
    { name: "question", type: "string" },
  ],
});

async function seedThree(seeded: Parameters<typeof seedPrompt>[0]) {
  await seedPrompt(seeded, "support-reply", [
    system("Version one: you answer for {{company}}."),
    system("Version two: you answer briefly for {{company}}."),
    {
      ...system("Version three: you answer kindly for {{company}}.{{#is_vip}} Thank them for staying.{{/is_vip}}"),
      variables: [...system("").variables, { name: "is_vip", type: "boolean", required: false }],
    },
  ]);
  await seedDeploy(seeded, "support-reply", "staging", 2);
  await seedDeploy(seeded, "support-reply", "production", 1);
}

/** The three versions seeded, an editor signed in, and the editor open on them; returns the editor's path. */
async function openThree(page: Page, seeded: Parameters<typeof seedPrompt>[0]) {
  await seedThree(seeded);
  await signIn(page, seeded.users.editor);
  const edit = `/${seeded.slug}/edit/support-reply`;
  await page.goto(edit);
  return edit;
}

const typed = "Typed by hand: check the order number first.";
const firstMessage = (page: Page) => page.getByTestId("template-editor").first();
const leave = (page: Page) => page.getByRole("dialog", { name: "You have unsaved changes. Leave without saving?" });

/** Types a line at the end of the system message, key by key, and waits for the form to know it. */
async function typeLine(page: Page) {
  const box = page.getByRole("textbox", { name: "Message 1 (system) template" });
  await expect(firstMessage(page)).toHaveAttribute("data-ready", "true", { timeout: editorLoad });
  await box.focus();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type(typed, { delay: 15 });
  await expect(firstMessage(page)).toContainText(typed);
  await expect(page.getByText("Unsaved changes", { exact: true })).toBeVisible();
}

/** The form holds version `n`'s whole content, the heading names it, and nothing is unsaved or breaking. */
async function holds(page: Page, n: number, words: string, heading: string) {
  await expect(page.getByTestId("edit-start")).toHaveText(heading);
  await expect(firstMessage(page)).toContainText(words);
  await expect(firstMessage(page)).not.toContainText(typed);
  await expect(page.getByText("No unsaved changes")).toBeVisible();
  await expect(page.getByTestId("edit-base-picker")).toHaveValue(String(n));
  await expect(page.getByTestId("breaking-changes")).toHaveCount(0);
}

/** Cancel keeps the typed line and the version; the dialog has no empty band between its title and buttons. */
async function cancelKeeps(page: Page, n: number, shot?: string) {
  const dialog = leave(page);
  await expect(dialog).toBeVisible();
  const title = await dialog.getByRole("heading").boundingBox();
  const cancel = await dialog.getByRole("button", { name: "Cancel" }).boundingBox();
  expect(cancel!.y - (title!.y + title!.height)).toBeLessThan(48);
  if (shot) await checkedScreenshot(page, shot);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(firstMessage(page)).toContainText(typed);
  await expect(page.getByText("Unsaved changes", { exact: true })).toBeVisible();
  await expect(page.getByTestId("edit-base-picker")).toHaveValue(String(n));
}

const confirmLeave = (page: Page) => leave(page).getByRole("button", { name: "Leave without saving" }).click();

for (const [size, viewport] of [
  ["desktop", { width: 1440, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  test.describe(size, () => {
    test.use({ viewport });

    test(`each starting point asks before dropping typed work and loads that version whole (${size})`, async ({
      page,
      seeded,
    }) => {
      test.setTimeout(120_000);
      const edit = await openThree(page, seeded);
      // The same rule as the prompt page: the newest, with what each environment serves as other starting points.
      await holds(page, 3, "Version three", "Starting from version 3, the newest.");
      const choices = page.getByTestId("edit-start-choices");
      await expect(choices).toContainText("what staging serves (v2)");
      await expect(choices).toContainText("what production serves (v1)");

      // 1. A Start-from link: Cancel keeps the line, Leave loads version 2 whole.
      await typeLine(page);
      await choices.getByRole("link", { name: "what staging serves (v2)" }).click();
      await cancelKeeps(page, 3, `editor-start-leave-${size}`);
      await expect(page).toHaveURL(new RegExp(`${edit}$`));
      await choices.getByRole("link", { name: "what staging serves (v2)" }).click();
      await confirmLeave(page);
      await expect(page).toHaveURL(/\?env=staging$/);
      await holds(page, 2, "Version two", "Starting from version 2, what staging serves (the newest is version 3).");
      await expect(page.getByTestId("older-base")).toContainText("version 3 stays in the history");
      await screenshot(page, `editor-start-v2-${size}`);

      // 2. The version picker (a navigation made in code): the same question, the same outcomes.
      await typeLine(page);
      await page.getByTestId("edit-base-picker").selectOption("1");
      await cancelKeeps(page, 2);
      await page.getByTestId("edit-base-picker").selectOption("1");
      await confirmLeave(page);
      await expect(page).toHaveURL(/\?version=1$/);
      await holds(page, 1, "Version one", "Starting from version 1 (the newest is version 3).");
      await expect(page.getByTestId("older-base")).toContainText("versions 2–3 stay in the history");

      // 3. "The newest" link, back to version 3, whose optional variable the form now holds (nothing breaks).
      await typeLine(page);
      await choices.getByRole("link", { name: "the newest (v3)" }).click();
      await cancelKeeps(page, 1);
      await choices.getByRole("link", { name: "the newest (v3)" }).click();
      await confirmLeave(page);
      await expect(page).toHaveURL(/\?version=3$/);
      await holds(page, 3, "Version three", "Starting from version 3, the newest.");
      await expect(page.getByTestId("older-base")).toHaveCount(0);

      // 4. Leaving the page by the breadcrumb asks too; kept, the work is still there.
      await typeLine(page);
      await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "support-reply" }).click();
      await cancelKeeps(page, 3);
      await checkedScreenshot(page, `editor-start-kept-${size}`);

      // 5. The browser's Back asks too: Cancel stays (and Back asks again), Leave goes back to version 1's editor.
      await page.goBack();
      await cancelKeeps(page, 3);
      await expect(page).toHaveURL(/\?version=3$/);
      await page.goBack();
      await confirmLeave(page);
      await expect(page).toHaveURL(/\?version=1$/);
      await holds(page, 1, "Version one", "Starting from version 1 (the newest is version 3).");
    });
  });
}

test.describe("desktop", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("a save from an older version records it as its base; page, Playground and editor share the version in view", async ({
    page,
    seeded,
  }) => {
    test.setTimeout(120_000);
    const edit = await openThree(page, seeded);
    await expect(page.getByTestId("edit-start")).toHaveText("Starting from version 3, the newest.");

    // The project switcher navigates in code: it asks first as well, and Cancel stays on the page.
    await typeLine(page);
    await page.getByRole("combobox", { name: "Project", exact: true }).selectOption("+new");
    await cancelKeeps(page, 3);
    await expect(page).toHaveURL(new RegExp(`${edit}$`));

    // Starting from version 1 and saving: version 4, based on version 1, its changes against version 1.
    await page.getByTestId("edit-base-picker").selectOption("1");
    await confirmLeave(page);
    await expect(page.getByTestId("edit-start")).toHaveText("Starting from version 1 (the newest is version 3).");
    await typeLine(page);
    await page.getByLabel("Commit message").pressSequentially("Back to version one, with a check");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.waitForURL(/\/prompts\/support-reply\?version=4/);
    const db = seeded.database.db;
    const v4 = await getVersion(db, await getPrompt(db, seeded.projectId, "support-reply"), 4);
    expect(v4.baseVersion).toBe(1);
    expect(JSON.stringify(v4.diff)).not.toContain("Version three");
    await expect(page.getByTestId("version-4")).toContainText("Edited from v1");
    await expect(page.getByTestId("version-4").getByRole("link", { name: "Compare with v1" })).toBeVisible();

    // One version in view: the card, the Playground and "Edit prompt" follow ?version=, switched from either.
    const card = page.getByRole("region", { name: "Prompt" });
    const playground = page.getByRole("region", { name: "Playground" });
    await expect(card).toContainText("Version 4");
    await expect(card.getByTestId("served-line")).toContainText("staging serves v2");
    await expect(card.getByTestId("served-line")).toContainText("production serves v1");
    await expect(playground.getByRole("button", { name: "Run v4" })).toBeVisible();
    await card.getByLabel("Show version").selectOption("2");
    await expect(page).toHaveURL(/version=2/);
    await expect(card).toContainText("Version 2");
    await expect(playground.getByRole("button", { name: "Run v2" })).toBeVisible();
    await playground.getByLabel("Version", { exact: true }).selectOption("3");
    await expect(page).toHaveURL(/version=3/);
    await expect(card).toContainText("Version three: you answer kindly");
    await expect(page.getByRole("link", { name: "Edit prompt" })).toHaveAttribute("href", /\?version=3$/);
    await checkedScreenshot(page, "prompt-page-version-in-view");
    await page.getByRole("link", { name: "Edit prompt" }).click();
    await expect(page.getByTestId("edit-start")).toHaveText("Starting from version 3 (the newest is version 4).");
    await expect(firstMessage(page)).toContainText("Version three");
  });
});
