// Typing at human speeds must never lose or misplace a keystroke: the editor owns its text, and the
// saved version holds exactly what was typed. Each speed saves its own version and compares it.
import { expect, seedPrompt, signIn, test, typeInEditor, typingDelays, versionContent } from "./fixtures";

const variables = [
  { name: "customer", type: "string" },
  { name: "order_id", type: "string" },
];

test("a text template typed at 0, 30 and 80 ms per key is saved exactly as typed", async ({ page, seeded }) => {
  test.setTimeout(180_000);
  await seedPrompt(seeded, "typed", [{ type: "text", template: "Hello.", variables }]);
  await signIn(page, seeded.users.editor);
  for (const [i, delay] of typingDelays.entries()) {
    const typed = `Dear {{customer}}, order {{order_id}} ships today (${delay} ms).\nThanks for waiting!\nLine three: a-b_c.d`;
    await page.goto(`/${seeded.slug}/edit/typed`);
    await typeInEditor(page, "Prompt template", typed, delay);
    await page.getByLabel(/^customer/).fill("Ann");
    await page.getByLabel(/^order_id/).fill("A-17");
    await expect(page.getByTestId("preview-output")).toHaveText(
      `Dear Ann, order A-17 ships today (${delay} ms).\nThanks for waiting!\nLine three: a-b_c.d`,
    );
    await page.getByLabel("Commit message").fill(`typed at ${delay} ms`);
    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/typed`));
    await expect(page.getByTestId(`version-${i + 2}`)).toContainText(`typed at ${delay} ms`);
    expect((await versionContent(seeded, "typed", i + 2)).template).toBe(typed);
  }
});

test("chat messages typed at 0, 30 and 80 ms per key are saved exactly as typed", async ({ page, seeded }) => {
  test.setTimeout(180_000);
  await seedPrompt(seeded, "typed-chat", [
    {
      type: "chat",
      template: [
        { role: "system", content: "You are helpful." },
        { role: "user", content: "Hi" },
      ],
      variables,
    },
  ]);
  await signIn(page, seeded.users.editor);
  for (const [i, delay] of typingDelays.entries()) {
    const system = `You help {{customer}} politely (${delay} ms).`;
    const user = `Where is order {{order_id}}?\nIt is late.`;
    await page.goto(`/${seeded.slug}/edit/typed-chat`);
    await typeInEditor(page, "Message 1 (system) template", system, delay);
    await typeInEditor(page, "Message 2 (user) template", user, delay);
    await page.getByLabel("Commit message").fill(`chat typed at ${delay} ms`);
    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/typed-chat`));
    await expect(page.getByTestId(`version-${i + 2}`)).toContainText(`chat typed at ${delay} ms`);
    expect((await versionContent(seeded, "typed-chat", i + 2)).template).toEqual([
      { role: "system", content: system },
      { role: "user", content: user },
    ]);
  }
});
