// A phone that works, and undo and confirmation: no page scrolls sideways at 390 px, the
// navigation folds behind a menu button, the header stays one row at 1280 px, a removed message comes
// back with Undo or Ctrl+Z, saving without a commit message asks for one, and an invitee is signed in.
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { addMember } from "../lib/auth/invitations";
import { getPrompt } from "../lib/registry/prompts";
import { getVersion } from "../lib/registry/versions";
import { requestReview } from "../lib/release/reviews/reviews";
import {
  checkedScreenshot,
  expect,
  hydrated,
  screenshot,
  type Seeded,
  seedOpenAlert,
  seedPrompt,
  signIn,
  systemCtx,
  test,
  typeInEditor,
  versionContent,
} from "./fixtures";
import { runningSplit } from "./experiment-fixtures";
import { overflow } from "./page-fit";
import { projectContext } from "../lib/context";
import { noEvents } from "../lib/announcements";

const phone = { width: 390, height: 844 };

const v1 = {
  type: "chat",
  template: [
    { role: "system", content: "You answer support questions for Acme." },
    { role: "user", content: "{{question}}" },
  ],
  variables: [{ name: "question" }],
};
const v2 = {
  ...v1,
  template: [
    { role: "system", content: "You answer support questions for Acme, politely and briefly." },
    { role: "user", content: "{{question}}" },
  ],
};

/** A prompt with two versions live, an experiment, a pending review and an open alert: every badge shows. */
async function seedEverything(seeded: Seeded) {
  await seedPrompt(seeded, "support", [v1, v2], { live: ["staging", "production"] });
  const e = await runningSplit(seeded, "staging", "Politer");
  await requestReview(systemCtx(seeded), "support", {
    version: 2,
    environment: "production",
    deployOnApprove: false,
  });
  await seedOpenAlert(seeded, "support");
  return { experimentId: e.id };
}

test("at 390 px no page scrolls sideways, and the navigation opens and closes behind a menu button", async ({
  page,
  seeded,
}) => {
  test.setTimeout(180_000);
  const { experimentId } = await seedEverything(seeded);
  await page.setViewportSize(phone);
  await signIn(page, seeded.users.admin);
  const pages: [string, string][] = [
    ["prompts", "prompts"],
    ["prompt-page", "prompts/support"],
    ["edit", "edit/support"],
    ["diff", "diff/support?from=1&to=2"],
    ["settings", "settings"],
    ["experiments", "experiments"],
    ["experiment", `experiments/${experimentId}`],
    ["evaluations", "evaluations"],
    ["datasets", "datasets"],
    ["online", "online/support"],
    ["reviews", "reviews"],
    ["alerts", "alerts"],
    ["activity", "activity"],
  ];
  const problems: string[] = [];
  for (const [name, path] of pages) {
    await page.goto(`/${seeded.slug}/${path}`);
    await expect(page.locator("main")).toBeVisible();
    await hydrated(page);
    if (name === "diff") await expect(page.locator(".monaco-diff-editor").first()).toBeVisible({ timeout: 30_000 });
    const o = await overflow(page);
    if (o.scrollWidth > phone.width) problems.push(`${name}: ${o.scrollWidth} px wide (${o.wide.join("; ")})`);
    await screenshot(page, `phone-${name}`);
  }
  expect(problems).toEqual([]);

  // The diff reads as one column on a phone.
  await page.goto(`/${seeded.slug}/diff/support?from=1&to=2`);
  await expect(page.locator(".monaco-diff-editor").first()).toBeVisible({ timeout: 30_000 });
  // (Monaco keeps the original side's element in the inline view; the changed side then takes the width.)
  const whole = (await page.locator(".monaco-diff-editor").first().boundingBox())!;
  const changed = (await page.locator(".monaco-diff-editor .editor.modified").first().boundingBox())!;
  expect(changed.width).toBeGreaterThan(whole.width * 0.8);

  // The menu: closed, opened with the keyboard, followed, closed again.
  await page.goto(`/${seeded.slug}/prompts`);
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  await expect(page.getByRole("link", { name: seeded.users.admin.email })).toBeVisible();
  await checkedScreenshot(page, "phone-menu-open");
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await menu.click();
  await nav.getByRole("link", { name: "Settings" }).click();
  await page.waitForURL(new RegExp(`/${seeded.slug}/settings`));
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
});

test("at 1280 px the header stays on one row with both badges; online evaluation lights Evaluation", async ({
  page,
  seeded,
}) => {
  await seedEverything(seeded);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/online/support`);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: /Reviews.*1 pending/ })).toBeVisible();
  await expect(nav.getByRole("link", { name: /Alerts.*1 open/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
  // One row: the logo, every link and the sign-out button share a line.
  const top = async (el: ReturnType<Page["getByRole"]>) => (await el.boundingBox())!.y;
  const logo = await top(page.getByRole("link", { name: "Lectern", exact: true }));
  const signOut = await top(page.getByRole("button", { name: "Sign out" }));
  const links = nav.getByRole("link");
  for (let i = 0; i < (await links.count()); i++) expect(Math.abs((await top(links.nth(i))) - logo)).toBeLessThan(12);
  expect(Math.abs(signOut - logo)).toBeLessThan(12);
  await expect(nav.getByRole("link", { name: "Evaluation" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: /Alerts/ })).not.toHaveAttribute("aria-current", "page");
  await screenshot(page, "desktop-online-header");
});

test("a removed message comes back with Undo or Ctrl+Z; saving asks for a commit message with a suggestion", async ({
  page,
  seeded,
}) => {
  test.setTimeout(120_000);
  await seedPrompt(seeded, "support", [v1]);
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/edit/support`);
  await typeInEditor(page, "Message 1 (system) template", "You answer in a {{tone}} tone.", 30);

  await page.getByRole("button", { name: "Remove message 2" }).click();
  await expect(page.getByLabel("Message 2 role")).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Message 2 (user) removed." })).toBeVisible();
  await page.getByRole("button", { name: "Undo", exact: true }).click();
  await expect(page.getByLabel("Message 2 role")).toHaveValue("user");

  // Again, undone with the keyboard from outside the editors.
  await page.getByRole("button", { name: "Remove message 1" }).click();
  await expect(page.getByLabel("Message 1 role")).toHaveValue("user");
  await page.getByRole("heading", { name: "Variables" }).click();
  await page.keyboard.press("ControlOrMeta+z");
  await expect(page.getByLabel("Message 1 role")).toHaveValue("system");
  await expect(page.getByLabel("Message 2 role")).toHaveValue("user");
  await expect(page.locator("[data-testid=template-editor]").first()).toContainText("{{tone}} tone");

  await page.getByRole("button", { name: "Declare tone" }).click();
  await page.getByRole("button", { name: "Save as new version" }).click();
  const ask = page.getByRole("dialog", { name: "Describe this version" });
  await expect(ask).toBeVisible();
  const message = ask.getByLabel("Commit message");
  await expect(message).toHaveValue("Edit system message; add variable `tone`");
  await expect(message).toBeFocused();
  await checkedScreenshot(page, "commit-message-prompt");
  // Emptied, the message cannot be saved as such; only the explicit button saves without one.
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await expect(ask.getByRole("button", { name: "Save with this message" })).toBeDisabled();
  await ask.getByRole("button", { name: "Use the suggestion" }).click();
  await message.press("End");
  await page.keyboard.type(" for friendlier replies", { delay: 20 });
  await page.keyboard.press("Enter");
  await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/support`));
  expect(await versionContent(seeded, "support", 2)).toMatchObject({
    template: [{ role: "system", content: "You answer in a {{tone}} tone." }, { role: "user" }],
  });
  const prompt = await getPrompt(seeded.database.db, seeded.projectId, "support");
  expect((await getVersion(seeded.database.db, prompt, 2)).commitMessage).toBe(
    "Edit system message; add variable `tone` for friendlier replies",
  );
});

test("accepting an invitation with a new password signs the person in and welcomes them", async ({
  browser,
  seeded,
}) => {
  const email = `joiner-${randomBytes(3).toString("hex")}@e2e.lectern.dev`;
  const r = await addMember(
    projectContext(seeded.database.db, { type: "system", label: "e2e" }, seeded.projectId, noEvents),
    {
      email,
      role: "editor",
    },
  );
  if (r.kind !== "invited") throw new Error("expected an invitation");
  const context = await browser.newContext({ viewport: phone });
  const p = await context.newPage();
  await p.goto(`/invite/${r.token}`);
  await p.getByLabel("Your name").pressSequentially("Jo Joiner", { delay: 20 });
  await p.getByLabel("Choose a password").pressSequentially("jo-chose-this", { delay: 20 });
  await p.getByLabel("Repeat the password").pressSequentially("jo-chose-this", { delay: 20 });
  await p.keyboard.press("Enter");
  await p.waitForURL(new RegExp(`/${seeded.slug}/prompts`));
  await expect(p.getByText(/Welcome to E2E .*You joined as editor/)).toBeVisible();
  await p.getByRole("button", { name: "Menu" }).click();
  await expect(p.getByText(`${email} · editor`)).toBeVisible();
  await context.close();
});
