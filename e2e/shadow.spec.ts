// Shadow evaluation on live demo traffic: the demo is seeded (support-reply, version 1 live in production,
// where an online rule samples every answer), and `npm run demo:traffic` sends its simulated users' calls
// through the real resolve and events APIs. An approver names a candidate version in the online rule with
// real keystrokes; the candidate answers those live inputs off the user's path through a local
// OpenAI-compatible server (the job the online-eval cron runs), and the online page shows its significant
// paired loss, the judge's wins/ties/losses and the answers side by side. What is served does not change.
import { scorePendingSamples } from "../lib/evaluation/online/scoring";
import { runShadow } from "../lib/evaluation/online/shadow/shadow";
import { seedDemoPrompts } from "../lib/setup/seed-demo";
import { demoPrompts } from "../db/seed";
import { checkedScreenshot, expect, screenshot, seedApiKey, seedVersion, signIn, systemCtx, test } from "./fixtures";
import { demoTraffic } from "./journey-calls";
import { scorerModelsOn } from "../test/scorer-models";
import { startModelServer } from "./model-server";

test("a candidate answers live demo traffic in the shadow and shows a significant paired loss", async ({
  page,
  seeded,
}) => {
  test.setTimeout(240_000);
  const ctx = systemCtx(seeded);
  await seedDemoPrompts(ctx);
  // The candidate, version 4: one short line, without the next step the live version ends with.
  const live = demoPrompts.find((p) => p.name === "support-reply")!.versions[0];
  const [system, user] = live.template;
  expect(
    await seedVersion(seeded, "support-reply", {
      ...live,
      template: [{ ...system, content: `${system.content}\nReply in one short line, with no sign-off.` }, { ...user }],
      variables: [...live.variables],
      commitMessage: "One-line replies",
    }),
  ).toBe(4);

  // Live demo traffic: 20 simulated users resolve support-reply in production (version 1) and report
  // what it answered them, with the variables it was rendered with; the demo's rule samples them all.
  const runtime = await seedApiKey(seeded, {
    name: "demo app",
    scope: "runtime",
  });
  expect(await demoTraffic(runtime, "--subjects", "20")).toContain("feeding version 1, which it serves");
  await scorePendingSamples(seeded.database.db, undefined);

  // An approver turns shadow evaluation on for version 4, with a pairwise judge.
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/online/support-reply?environment=production`);
  const rule = page.getByRole("form", { name: "Online evaluation rule for production" });
  await rule.getByLabel("Let candidate versions answer sampled live inputs").check();
  await rule.getByLabel("Candidate versions", { exact: true }).pressSequentially("9");
  await rule.getByRole("button", { name: "Save rule" }).click();
  await expect(rule.getByRole("alert")).toHaveText(
    "Shadow.versions: support-reply has no version 9 (its latest is 4).",
  );
  await rule.getByLabel("Candidate versions", { exact: true }).fill("");
  await rule.getByLabel("Candidate versions", { exact: true }).pressSequentially("4");
  await rule.getByLabel("Share of sampled outputs (%)").fill("100");
  await rule.getByLabel(/Ask a judge .* which answer is better/).check();
  await rule.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByText("Online evaluation saved for production.")).toBeVisible();
  const shadow = page.locator("#shadow");
  await expect(shadow.getByTestId("shadow-v4")).toContainText("No answers yet");

  // The online-eval job's shadow step, with the model server standing in for the provider: v4 answers
  // in one line with no next step, and the judge prefers the answer that gives one, in either order.
  const server = await startModelServer({
    rules: [
      { regex: "## Answer A\\n[^#]*Next step", json: { reasoning: "A says what happens next.", winner: "A" } },
      { match: "Which answer", json: { reasoning: "B says what happens next.", winner: "B" } },
      { match: "one short line", text: "We have looked into it.", latencyMs: 5 },
    ],
  });
  try {
    const models = scorerModelsOn(server);
    expect(await runShadow(seeded.database.db, () => models)).toMatchObject({ answered: 20, failed: 0 });
  } finally {
    server.stop();
  }

  await page.reload();
  const v4 = shadow.getByTestId("shadow-v4");
  await expect(v4.getByText("significant loss")).toBeVisible();
  await expect(v4.getByTestId("shadow-verdict")).toHaveText(
    /^v4 is worse than live v1 on next_step by 100\.0 points .*\(20 inputs, paired t; Wilcoxon where every input moved alike, Holm-adjusted\)\.$/,
  );
  await expect(v4.getByTestId("shadow-wtl")).toContainText("0 · 0 · 20");
  await expect(v4.getByTestId("shadow-wtl")).toContainText("pairwise judge, both orders");
  await expect(v4.getByTestId("shadow-numbers")).toContainText(/Latency−\d+ ms/);
  await expect(shadow.getByTestId("shadow-budget")).toContainText("60 of 500 model calls");
  await v4.getByText(/Answers side by side/).click();
  await expect(v4.getByText("We have looked into it.").first()).toBeVisible();
  // The live answers are the demo traffic's own.
  await expect(
    v4.getByText(/^Hi \w+, thanks for reaching out\. .* Next step: reply to this email/).first(),
  ).toBeVisible();
  await expect(
    v4.getByText(/^Judge: live better — the live answer \(v1\) wins in both orders\./).first(),
  ).toBeVisible();
  await checkedScreenshot(page, "shadow");

  // An admin makes production require a shadow comparison over 10 inputs; version 4's release plan says
  // why it cannot go live there.
  await page.context().clearCookies();
  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/settings#environments`);
  const production = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("group", { name: "Rules for production" }) });
  await production.getByLabel(/Shadow comparison with no significant loss/).pressSequentially("10");
  await production.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByText("Saved the rules of production.")).toBeVisible();
  await page.goto(`/${seeded.slug}/prompts/support-reply?show=4#release`);
  const step = page.getByTestId("release-plan-production").locator('[data-step="shadow"]');
  await expect(step).toHaveAttribute("data-met", "false");
  await expect(step).toContainText("A shadow comparison with no significant loss (10 inputs)");
  await expect(step).toContainText(
    "Version 4 scores clearly lower than live version 1 in the shadow on next_step by 100.0 points",
  );
  await screenshot(page, "shadow-plan");
  await step.getByRole("link", { name: "See the shadow comparison" }).click();
  await expect(page.locator("#shadow").getByTestId("shadow-v4")).toContainText("significant loss");

  await page.goto(`/${seeded.slug}/prompts/support-reply`);

  // Nothing of this changed what production serves.
  await expect(page.getByTestId("live-production")).toContainText("v1");
});
