// Reading a prompt needs no editor: its page shows the newest version's messages with the variables
// marked, what each environment serves beside it, and any other version on request.
import { checkedScreenshot, expect, seedPrompt, signIn, test } from "./fixtures";

test("a viewer reads the prompt on its page, variables marked, and switches between versions", async ({
  page,
  seeded,
}) => {
  await seedPrompt(
    seeded,
    "support/reply",
    [
      {
        type: "chat",
        template: [
          { role: "system", content: "You are a support agent for {{company}}.\n{{#vip}}Be extra careful.{{/vip}}" },
          { role: "user", content: "Customer: {{customer_name}}\nTicket: {{ticket}}" },
        ],
        variables: [
          { name: "company", type: "string", default: "Acme", description: "Shown in the greeting" },
          { name: "vip", type: "boolean", required: false },
          { name: "customer_name", type: "string" },
          { name: "ticket", type: "string" },
        ],
        config: { model: "gpt-4o-mini", temperature: 0.3 },
      },
      {
        type: "chat",
        template: [{ role: "system", content: "Newer: you help {{company}} customers." }],
        variables: [{ name: "company", type: "string", default: "Acme" }],
      },
    ],
    { live: ["production"] },
  );
  await signIn(page, seeded.users.viewer);
  await page.goto(`/${seeded.slug}/prompts/support/reply`);

  // The page opens on the newest version, with what each environment serves beside it.
  const prompt = page.getByRole("region", { name: "Prompt" });
  await expect(prompt).toContainText("Version 2 · not live yet");
  await expect(prompt.getByTestId("served-line")).toContainText("production serves v1");
  await prompt.getByLabel("Show version").selectOption("1");
  await expect(page).toHaveURL(/version=1/);
  await expect(prompt).toContainText("Version 1 · live in production");
  const messages = prompt.getByTestId("prompt-message");
  await expect(messages).toHaveCount(2);
  await expect(messages.nth(0)).toContainText("system");
  await expect(messages.nth(0)).toContainText("You are a support agent for {{company}}.");
  await expect(messages.nth(1)).toContainText("Customer: {{customer_name}}\nTicket: {{ticket}}", {
    useInnerText: true,
  });
  // Variables are marked, each one its own element.
  await expect(prompt.locator('mark[data-variable="company"]')).toHaveText("{{company}}");
  await expect(prompt.locator('mark[data-variable="ticket"]')).toHaveText("{{ticket}}");
  await expect(prompt).toContainText('company (string, default "Acme")');
  await expect(prompt).toContainText("customer_name (string, required, no default)");
  await expect(prompt).toContainText("vip (boolean, optional)");
  await expect(prompt).toContainText("Temperature");
  // Read without any editor on the page.
  await expect(page.locator(".monaco-editor")).toHaveCount(0);
  await checkedScreenshot(page, "prompt-page-read");

  await prompt.getByLabel("Show version").selectOption("2");
  await expect(page).toHaveURL(/version=2/);
  await expect(prompt).toContainText("Version 2 · not live yet");
  await expect(prompt.getByTestId("prompt-message")).toHaveCount(1);
  await expect(prompt).toContainText("Newer: you help {{company}} customers.");
});
