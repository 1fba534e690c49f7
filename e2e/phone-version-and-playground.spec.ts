// The version in view and the playground (docs/decisions/version-in-view.md) on a 390×844 phone (editor-start.spec.ts
// and tour.spec.ts walk them at the desktop size). One version in view: the prompt page opens on the newest, and its
// card, its Playground and "Edit prompt" follow ?version= switched from either place. An edit shows in the playground
// with no model configured: the demo's support-reply v4 adds a sign-off, and v4 beside v3 answers with it where v3 does
// not.
import { SCRIPTED_LABEL } from "../lib/llm/provider-labels";
import { seedDemoPrompts } from "../lib/setup/seed-demo";
import { demoPrompts } from "../db/seed";
import { checkedScreenshot, expect, seedDeploy, seedPrompt, seedVersion, signIn, systemCtx, test } from "./fixtures";

test.use({ viewport: { width: 390, height: 844 } });

const system = (text: string) => ({
  type: "chat",
  template: [
    { role: "system", content: text },
    { role: "user", content: "{{question}}" },
  ],
  variables: [{ name: "question", type: "string" }],
});

/** Nothing on the page is wider than the phone (a wide table scrolls inside its own box). */
async function fitsThePhone(page: import("@playwright/test").Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

test("on a phone, the prompt page, its Playground and the editor share the version in view", async ({
  page,
  seeded,
}) => {
  test.setTimeout(120_000);
  await seedPrompt(seeded, "support-reply", [
    system("Version one: you answer."),
    system("Version two: you answer briefly."),
    system("Version three: you answer kindly."),
  ]);
  await seedDeploy(seeded, "support-reply", "staging", 2);
  await seedDeploy(seeded, "support-reply", "production", 1);
  await signIn(page, seeded.users.editor);

  // The newest by default, with what each environment serves beside it.
  await page.goto(`/${seeded.slug}/prompts/support-reply`);
  const card = page.getByRole("region", { name: "Prompt" });
  const playground = page.getByRole("region", { name: "Playground" });
  await expect(card).toContainText("Version 3");
  await expect(card.getByTestId("served-line")).toContainText("staging serves v2");
  await expect(card.getByTestId("served-line")).toContainText("production serves v1");
  await expect(playground.getByRole("button", { name: "Run v3" })).toBeVisible();
  await fitsThePhone(page);

  // Switched on the card: the address, the Playground and "Edit prompt" follow.
  await card.getByLabel("Show version").selectOption("2");
  await expect(page).toHaveURL(/version=2/);
  await expect(card).toContainText("Version two: you answer briefly.");
  await expect(playground.getByRole("button", { name: "Run v2" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit prompt" })).toHaveAttribute("href", /\?version=2$/);

  // Switched in the Playground: the card follows.
  await playground.getByLabel("Version", { exact: true }).selectOption("1");
  await expect(page).toHaveURL(/version=1/);
  await expect(card).toContainText("Version one: you answer.");
  await expect(playground.getByRole("button", { name: "Run v1" })).toBeVisible();
  await checkedScreenshot(page, "prompt-page-version-in-view-phone");

  // The editor opens on the version in view, and says which one is newest.
  await page.getByRole("link", { name: "Edit prompt" }).click();
  await expect(page.getByTestId("edit-start")).toHaveText("Starting from version 1 (the newest is version 3).");
  await expect(page.getByTestId("template-editor").first()).toContainText("Version one");
  await expect(page.getByTestId("edit-base-picker")).toHaveValue("1");
  await fitsThePhone(page);
});

test("on a phone, the demo's v4 beside v3 in the playground shows the sign-off v4 adds, with no model configured", async ({
  page,
  seeded,
}) => {
  test.setTimeout(120_000);
  await seedDemoPrompts(systemCtx(seeded));
  const [, , v3] = demoPrompts.find((p) => p.name === "support-reply")!.versions;
  const [first, user] = v3.template;
  await seedVersion(seeded, "support-reply", {
    ...v3,
    template: [
      { ...first, content: `${first.content}\nUse the customer's first name once. Sign off as "Ana at Acme support".` },
      { ...user },
    ],
    variables: [...v3.variables],
    commitMessage: "Name the customer once and sign off",
  });
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/prompts/support-reply`);
  const playground = page.getByRole("region", { name: "Playground" });
  await expect(playground.getByRole("button", { name: "Run v4" })).toBeVisible();
  await playground.getByLabel("customer_name").pressSequentially("Ann");
  await playground.getByLabel("ticket").pressSequentially("My order has not arrived after two weeks.");
  await playground.getByLabel("kb_excerpt").fill("Orders ship within 2 days; tracking links are in the email.");
  await playground.getByLabel("Compare with").selectOption("3");
  await playground.getByRole("button", { name: "Run v4" }).click();
  await expect(playground.getByTestId("playground-b-result")).toContainText("B: v3");
  await expect(playground).toContainText(SCRIPTED_LABEL);
  const edited = await playground.getByTestId("playground-output").innerText();
  const before = await playground.getByTestId("playground-b-output").innerText();
  expect(edited).toMatch(/^Hi Ann\. /);
  expect(edited).toMatch(/Ana at Acme support$/);
  expect(before).toMatch(/^Hi Ann\. /);
  expect(before).not.toContain("Ana at Acme support");
  // The scripted model costs nothing, said as every other cost is said.
  await expect(playground.getByText("$0", { exact: true })).toHaveCount(2);
  await playground.getByTestId("playground-b-output").scrollIntoViewIfNeeded();
  await fitsThePhone(page);
  await checkedScreenshot(page, "playground-v4-beside-v3-phone");
});
