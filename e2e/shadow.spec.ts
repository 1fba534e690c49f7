// Shadow evaluation on live traffic: an approver names a candidate version in the online rule with real
// keystrokes; the candidate answers the live inputs off the user's path through a local OpenAI-compatible
// server (the job the online-eval cron runs), and the online page shows its significant paired loss, the
// judge's wins/ties/losses and the answers side by side. What is served does not change.
import { ingestEvents } from "../lib/events/ingest";
import { createModelCaller } from "../lib/llm/caller";
import { putOnlineRule } from "../lib/evaluation/online/rules";
import { scorePendingSamples } from "../lib/evaluation/online/scoring";
import { runShadow } from "../lib/evaluation/online/shadow";
import { createScorerModels } from "../lib/scorers";
import {
  expect,
  expectNoSeriousA11yViolations,
  screenshot,
  seedDeploy,
  seedPrompt,
  signIn,
  systemCtx,
  test,
} from "./fixtures";
import { startModelServer } from "./model-server";

const config = { model: "support-model" };
const warm = (i: number) => `Thank you for waiting, Ana. Your refund #${i} is on its way.`;

test("a candidate answers live inputs in the shadow and shows a significant paired loss", async ({ page, seeded }) => {
  test.setTimeout(120_000);
  await seedPrompt(seeded, "shadow-reply", [
    { type: "text", template: "Reply warmly to {{customer}}.", variables: [{ name: "customer" }], config },
    { type: "text", template: "Reply tersely to {{customer}}.", variables: [{ name: "customer" }], config },
  ]);
  await seedDeploy(seeded, "shadow-reply", "staging", 1);
  await putOnlineRule(systemCtx(seeded), "shadow-reply", {
    environment: "staging",
    sampleRate: 1,
    scorers: [{ type: "contains", name: "thanks", value: ["thank"], ignoreCase: true }],
    signals: [],
    window: 100,
    minSamples: 10,
  });
  await ingestEvents(seeded.database.db, seeded.projectId, {
    events: Array.from({ length: 20 }, (_, i) => ({
      id: `e2e-shadow-${seeded.slug}-${i}`,
      type: "generation",
      prompt: "shadow-reply",
      version: 1,
      environment: "staging",
      subject: `customer-${i}`,
      latencyMs: 900,
      input: { customer: "Ana" },
      output: warm(i),
    })),
  });
  await scorePendingSamples(seeded.database.db, undefined);

  // An approver turns shadow evaluation on for version 2, with a pairwise judge.
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/online/shadow-reply?environment=staging`);
  const rule = page.getByRole("form", { name: "Online evaluation rule for staging" });
  await rule.getByLabel("Let candidate versions answer sampled live inputs").check();
  await rule.getByLabel("Candidate versions", { exact: true }).pressSequentially("9");
  await rule.getByRole("button", { name: "Save rule" }).click();
  await expect(rule.getByRole("alert")).toHaveText("Shadow.versions: shadow-reply has no version 9 (its latest is 2).");
  await rule.getByLabel("Candidate versions", { exact: true }).fill("");
  await rule.getByLabel("Candidate versions", { exact: true }).pressSequentially("2");
  await rule.getByLabel("Share of sampled outputs (%)").fill("100");
  await rule.getByLabel(/Ask a judge .* which answer is better/).check();
  await rule.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByText("Online evaluation saved for staging.")).toBeVisible();
  const shadow = page.locator("#shadow");
  await expect(shadow.getByTestId("shadow-v2")).toContainText("No answers yet");

  // The online-eval job's shadow step, with the model server standing in for the provider: v2 never
  // thanks, and the judge prefers the answer that does, in either order.
  const server = await startModelServer({
    rules: [
      { regex: "## Answer A\\n[^#]*Thank you", json: { reasoning: "A thanks the customer.", winner: "A" } },
      { match: "Which answer", json: { reasoning: "B thanks the customer.", winner: "B" } },
      { match: "tersely", text: "Refund sent.", latencyMs: 5 },
    ],
  });
  try {
    const caller = createModelCaller({
      id: "default",
      name: "Local",
      provider: "openai-compatible",
      baseUrl: server.baseUrl,
      maxRetries: 0,
    });
    const models = createScorerModels(() => caller);
    expect(await runShadow(seeded.database.db, () => models)).toMatchObject({ answered: 20, failed: 0 });
  } finally {
    server.stop();
  }

  await page.reload();
  const v2 = shadow.getByTestId("shadow-v2");
  await expect(v2.getByText("significant loss")).toBeVisible();
  await expect(v2.getByTestId("shadow-verdict")).toHaveText(
    /^v2 is worse than live v1 on thanks by 100\.0 points .*\(20 inputs, paired t; Wilcoxon where every input moved alike, Holm-adjusted\)\.$/,
  );
  await expect(v2.getByTestId("shadow-wtl")).toContainText("0 · 0 · 20");
  await expect(v2.getByTestId("shadow-wtl")).toContainText("pairwise judge, both orders");
  await expect(v2.getByTestId("shadow-numbers")).toContainText(/Latency−\d+ ms/);
  await expect(shadow.getByTestId("shadow-budget")).toContainText("60 of 500 model calls");
  await v2.getByText(/Answers side by side/).click();
  await expect(v2.getByText("Refund sent.").first()).toBeVisible();
  await expect(
    v2.getByText(/^Judge: live better — the live answer \(v1\) wins in both orders\./).first(),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, "shadow");

  // An admin makes staging require a shadow comparison over 10 inputs; version 2's release plan says why
  // it cannot go live there.
  await page.context().clearCookies();
  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/settings#environments`);
  const staging = page.getByRole("listitem").filter({ has: page.getByRole("group", { name: "Rules for staging" }) });
  await staging.getByLabel(/Shadow comparison with no significant loss/).pressSequentially("10");
  await staging.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByText("Saved the rules of staging.")).toBeVisible();
  await page.goto(`/${seeded.slug}/prompts/shadow-reply?show=2#release`);
  const step = page.getByTestId("release-plan-staging").locator('[data-step="shadow"]');
  await expect(step).toHaveAttribute("data-met", "false");
  await expect(step).toContainText("A shadow comparison with no significant loss (10 inputs)");
  await expect(step).toContainText(
    "Version 2 is significantly worse than live version 1 in the shadow on thanks by 100.0 points",
  );
  await screenshot(page, "shadow-plan");
  await step.getByRole("link", { name: "See the shadow comparison" }).click();
  await expect(page.locator("#shadow").getByTestId("shadow-v2")).toContainText("significant loss");

  await page.goto(`/${seeded.slug}/prompts/shadow-reply`);

  // Nothing of this changed what staging serves.
  await expect(page.getByTestId("live-staging")).toContainText("v1");
});
