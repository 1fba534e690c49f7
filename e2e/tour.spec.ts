// The README's tour on a fresh demo, with no model configured (docs/decisions/demo-without-model.md): the demo
// project's own model is the built-in scripted model (its default connection), so every button of the tour works
// without a key or a network — Settings names it, the playground answers, the release plan's "Run evaluation" runs
// the gate (and a partial's plan runs the gate of the prompt that includes it, titled with the candidate),
// the optimizer finds a better draft for v1 and says it found nothing for v3, and new live inputs are
// answered in the shadow. Each run says which model answered. (This server has LLM_BASE_URL, but the
// project's default connection comes first: nothing here reaches it, and the spec checks each answer came
// from the scripted model.)
import { SCRIPTED_LABEL } from "../lib/llm/provider-labels";
import { seedDemoPrompts } from "../lib/setup/seed-demo";
import { demoPrompts } from "../db/seed";
import { expect, screenshot, seedApiKey, seedVersion, signIn, systemCtx, test } from "./fixtures";
import { api, cron } from "./journey-calls";

test("the README's tour works on a fresh demo with no model configured", async ({ page, seeded }) => {
  test.setTimeout(300_000);
  await seedDemoPrompts(systemCtx(seeded));
  await signIn(page, seeded.users.admin);
  const slug = seeded.slug;

  // Settings names the demo's model for what it is.
  await page.goto(`/${slug}/settings#connections`);
  const connection = page.getByTestId("connection").filter({ hasText: SCRIPTED_LABEL });
  await expect(connection).toContainText("default");
  await expect(connection.getByTestId("scripted-connection")).toContainText("calls no endpoint, needs no key");
  await connection.getByRole("button", { name: "Test" }).click();
  await expect(connection.getByTestId("connection-test")).toContainText("Works:");

  // 1. A save is a new version (support-reply v4); the playground runs it with your values.
  const [, , v3] = demoPrompts.find((p) => p.name === "support-reply")!.versions;
  const [system, user] = v3.template;
  await seedVersion(seeded, "support-reply", {
    ...v3,
    template: [
      {
        ...system,
        content: `${system.content}\nUse the customer's first name once. Sign off as "Ana at Acme support".`,
      },
      { ...user },
    ],
    variables: [...v3.variables],
    commitMessage: "Name the customer once and sign off",
  });
  await page.goto(`/${slug}/prompts/support-reply?show=4`);
  const playground = page.locator("#playground");
  await playground.getByLabel("customer_name").fill("Ann");
  await playground.getByLabel("ticket").fill("My order has not arrived after two weeks.");
  await playground.getByLabel("kb_excerpt").fill("Orders ship within 2 days; tracking links are in the email.");
  await playground.getByRole("button", { name: "Run v4" }).click();
  await expect(playground.getByTestId("playground-output")).toContainText(/^Hi Ann\. /);
  await expect(playground.getByTestId("playground-output")).toContainText("Next step");
  await expect(playground).toContainText(SCRIPTED_LABEL);
  // The same values on v3 beside it: the edit shows in the answer with no model configured.
  await playground.getByLabel("Compare with").selectOption("3");
  await playground.getByRole("button", { name: "Run v4" }).click();
  await expect(playground.getByTestId("playground-b-result")).toContainText("B: v3");
  const edited = await playground.getByTestId("playground-output").innerText();
  const before = await playground.getByTestId("playground-b-output").innerText();
  expect(edited).toMatch(/^Hi Ann\. /);
  expect(edited).toMatch(/Ana at Acme support$/);
  expect(before).not.toContain("Ana at Acme support");

  // 2. The release plan's "Run evaluation": production's gate, run by the scripted model.
  const production = page.getByTestId("release-plan-production");
  await production.getByRole("button", { name: "Run evaluation on support-reply regression" }).click();
  await expect(page).toHaveURL(/\/evaluations\/[0-9a-f-]{36}/);
  await expect(page.getByRole("heading", { name: "support-reply v4 on support-reply regression" })).toBeVisible();
  await expect(page.getByTestId("run-progress")).toContainText("completed", { timeout: 120_000 });
  await expect(page.getByTestId("run-done")).toHaveText("120 of 120 evaluated");
  await expect(page.getByTestId("run-connection")).toHaveText(`model ${SCRIPTED_LABEL}`);
  await expect(page.getByTestId("run-cost")).toHaveText("$0");

  // A partial's plan runs the gate of the prompt that includes it, with the candidate partial: titled so.
  await seedVersion(seeded, "shared/tone", {
    type: "text",
    template: "Write in a warm, plain tone. Thank the customer once.",
    commitMessage: "Thank the customer once",
  });
  await page.goto(`/${slug}/prompts/shared/tone?show=2`);
  await page
    .getByTestId("release-plan-production")
    .locator('[data-dependent="support-reply"]')
    .getByRole("button", { name: "Run evaluation of support-reply version 1 with shared/tone version 2" })
    .click();
  await expect(page).toHaveURL(/\/evaluations\/[0-9a-f-]{36}/);
  await expect(
    page.getByRole("heading", { name: "support-reply v1 with shared/tone v2 on support-reply regression" }),
  ).toBeVisible();
  await expect(page.getByTestId("run-progress")).toContainText("completed", { timeout: 120_000 });
  await expect(page.getByTestId("run-connection")).toHaveText(`model ${SCRIPTED_LABEL}`);

  // 3. The optimizer: v1 gets a draft that is better on held-out items; v3 has nothing to gain, and says so.
  const optimize = async (version: number) => {
    await page.goto(`/${slug}/prompts/support-reply?show=${version}`);
    await page.getByRole("link", { name: "Optimize", exact: true }).click();
    await expect(page.getByRole("heading", { name: `Optimize support-reply v${version}` })).toBeVisible();
    const form = page.getByRole("form", { name: "Start an optimization" });
    await form.getByLabel("Budget: model calls").fill("400");
    await form.getByRole("button", { name: "Start optimization" }).click();
    await expect(page).toHaveURL(/\/optimizations\/[0-9a-f-]{36}/);
    await expect(page.getByTestId("optimization-status")).toHaveText("completed", { timeout: 120_000 });
    await expect(page.getByText(`model calls on ${SCRIPTED_LABEL}`)).toBeVisible();
  };
  await optimize(1);
  await expect(page.getByTestId("optimization-outcome")).toHaveText("improved");
  await expect(page.getByTestId("optimization-verdict")).toContainText("The optimized draft is better than version 1");
  await expect(page.getByRole("link", { name: "Open the draft" })).toBeVisible();
  await screenshot(page, "tour-optimization-improved");
  await optimize(3);
  await expect(page.getByTestId("optimization-outcome")).toHaveText("no improvement found");
  await expect(page.getByTestId("optimization-verdict")).toContainText("the best candidate");
  const nothing = page.getByTestId("no-improvement");
  await expect(nothing).toContainText("No draft was made: there is nothing to merge");
  for (const tip of ["More items.", "Another scorer.", "A larger budget."]) await expect(nothing).toContainText(tip);
  await expect(page.getByRole("link", { name: "Open the draft" })).toHaveCount(0);
  await expect(page.locator("main")).not.toContainText("merge it as a new version");
  await screenshot(page, "tour-optimization-nothing");

  // 5. summarizer → Online: the seeded shadow comparison, and new live inputs answered in the shadow.
  await page.goto(`/${slug}/online/summarizer?environment=production`);
  const v2 = page.locator("#shadow").getByTestId("shadow-v2");
  await expect(v2.getByTestId("shadow-verdict")).toContainText("(48 inputs");
  const runtime = await seedApiKey(seeded, {
    name: "tour",
    scope: "runtime",
  });
  const sent = await api(runtime, "POST", "/api/v1/events", {
    events: [0, 1, 2].map((i) => ({
      id: `tour-${i}`,
      type: "generation",
      prompt: "summarizer",
      version: 1,
      environment: "production",
      subject: `tour-reader-${i}`,
      latencyMs: 900,
      inputTokens: 190,
      outputTokens: 45,
      costUsd: 0.0006,
      model: "gpt-4o-mini",
      input: {
        document: `Hana Ito from Search reports that ${70 + i} orders were delayed on Friday; the fix ships in 3 days.`,
        doc_type: "incident report",
        max_bullets: 3,
      },
      output: `- Hana Ito (Search): ${70 + i} orders delayed on Friday.\n- Fix ships in 3 days.`,
    })),
  });
  expect(sent.status, JSON.stringify(sent.body)).toBeLessThan(300);
  // The scheduler's minute, now: score the sampled outputs, then let the candidates answer in the shadow.
  expect((await cron("online-eval")).status).toBe(200);
  expect((await cron("shadow-sweep")).status).toBe(200);
  await expect(async () => {
    await page.reload();
    await expect(v2.getByTestId("shadow-verdict")).toContainText("(51 inputs", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await screenshot(page, "tour-shadow");
});
