import { randomBytes } from "node:crypto";
import { expect, expectNoSeriousA11yViolations, screenshot, signIn, signInWithPassword, test } from "./fixtures";

test("an admin invites someone new: they choose their own password through a one-time link and are signed in", async ({
  page,
  browser,
  seeded,
}) => {
  const email = `invitee-${randomBytes(3).toString("hex")}@e2e.lectern.dev`;
  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/settings`);
  await expect(page.getByLabel("Password (new users)")).toHaveCount(0); // an admin never sets a password
  const form = page.getByRole("form", { name: "Add a member" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption("editor");
  await page.getByRole("button", { name: "Add or invite" }).click();
  const link = await page.getByTestId("one-time-link").textContent();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("table", { name: "Invitations not yet accepted" })).toContainText(email);
  await screenshot(page, "settings-invitation");

  const invitee = await browser.newContext();
  const p = await invitee.newPage();
  await p.goto(new URL(link!).pathname);
  await expect(p.getByRole("heading", { name: `Join E2E ${seeded.slug.slice(4)}` })).toBeVisible();
  await p.getByLabel("Your name").fill("Ivy Invitee");
  await p.getByLabel("Choose a password").fill("ivy-chose-this");
  await p.getByLabel("Repeat the password").fill("ivy-chose-this");
  await expectNoSeriousA11yViolations(p);
  await p.getByRole("button", { name: "Create my account and join" }).click();
  // Signed in straight away with the password just chosen, and welcomed in the project.
  await p.waitForURL(new RegExp(`/${seeded.slug}/prompts`));
  await expect(p.getByText(`${email} · editor`)).toBeVisible();
  await expect(p.getByText(/Welcome to E2E .*You joined as editor/)).toBeVisible();

  // The link worked once.
  await p.goto(new URL(link!).pathname);
  await expect(p.getByText("This invitation link is not valid")).toBeVisible();
  await invitee.close();

  await page.reload();
  await expect(page.getByRole("table", { name: "Members" })).toContainText(email);
  await expect(page.getByRole("table", { name: "Invitations not yet accepted" })).toHaveCount(0);
});

test("signing out ends the session; changing the password ends the other sessions", async ({
  page,
  browser,
  seeded,
}) => {
  await signInWithPassword(page, seeded.users.editor);
  const other = await browser.newContext();
  const second = await other.newPage();
  await signInWithPassword(second, seeded.users.editor);
  await page.goto("/account");
  await expect(page.getByText("This browser")).toBeVisible();
  await page.getByLabel("Current password").fill(seeded.users.editor.password);
  await page.getByLabel("New password", { exact: true }).fill("a-brand-new-password");
  await page.getByLabel("Repeat the new password").fill("a-brand-new-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Password changed. 1 other session ended.");
  await screenshot(page, "account");
  await second.goto(`/${seeded.slug}/prompts`);
  await second.waitForURL(/\/login\?callbackUrl=/);
  await other.close();
  await page.goto(`/${seeded.slug}/prompts`);
  await expect(page.getByRole("heading", { name: "Prompts" })).toBeVisible();
});

test("a role change or a removal takes effect on the member's open session at once", async ({
  page,
  browser,
  seeded,
}) => {
  const member = await browser.newContext();
  const editorPage = await member.newPage();
  await signInWithPassword(editorPage, seeded.users.editor);
  await expect(editorPage.getByText(`${seeded.users.editor.email} · editor`)).toBeVisible();

  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/settings`);
  await page.getByLabel(`Role of ${seeded.users.editor.email}`).selectOption("viewer");
  await expect(page.getByText(`${seeded.users.editor.email} is now viewer.`)).toBeVisible();
  await editorPage.reload();
  await expect(editorPage.getByText(`${seeded.users.editor.email} · viewer`)).toBeVisible();

  await page
    .getByRole("table", { name: "Members" })
    .getByRole("row", { name: new RegExp(seeded.users.editor.email) })
    .getByRole("button", { name: "Remove" })
    .click();
  await page
    .getByRole("dialog", { name: `Remove ${seeded.users.editor.email} from this project?` })
    .getByRole("button", { name: "Remove" })
    .click();
  await expect(page.getByText(`Removed ${seeded.users.editor.email}.`)).toBeVisible();
  const res = await editorPage.goto(`/${seeded.slug}/prompts`);
  expect(res?.status()).toBe(404);
  await member.close();
});
