// The release loop the product exists for, walked on the demo as its people would: a support
// lead edits support-reply (its partial included) → the release plan says what is missing → promote to
// staging → run the evaluation on the gate's dataset from the plan → request a review → an approver
// approves and production serves it → a product manager starts an experiment against the previous
// version → demo traffic → ships (keeps the new version) → the new version's answers turn bad → online
// evaluation rolls production back to the known-good version: every subject gets it, the experiment is
// stopped, the alert is shown and the webhooks are delivered.
import { startReceiver, type Receiver } from "../test/webhook-receiver";
import {
  checkedScreenshot,
  expect,
  screenshot,
  seedApiKey,
  signInWithPassword,
  signOut,
  test,
  typeInEditor,
} from "./fixtures";
import { api, cron, demoTraffic, servedTo } from "./journey-calls";
import { startFromPage } from "./experiment-fixtures";
import { demoReplyScript, modelServerForFile, seedDemoOnModelServer } from "./model-server";

// The model answers as the edited prompt asks: short, with a next step.
const model = modelServerForFile(demoReplyScript, { defaultConnection: true });

test("the whole release loop on the demo: edit, plan, staging, evaluation, review, production, experiment, ship, regression, automatic rollback", async ({
  page,
  seeded,
}) => {
  test.setTimeout(420_000);
  await seedDemoOnModelServer(seeded);
  const admin = await seedApiKey(seeded, {
    name: "journey admin",
    scope: "admin",
  });
  const runtime = await seedApiKey(seeded, {
    name: "journey app",
    scope: "runtime",
  });
  const rx: Receiver = await startReceiver();
  try {
    const hook = await api(admin, "POST", "/api/v1/webhooks", {
      url: `${rx.url}/journey`,
      events: ["prompt.deployed", "prompt.rolled_back", "experiment.stopped", "alert.created"],
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);

    // 1. The support lead edits support-reply from what production serves (not the newest version, whose
    // other changes she did not make: the editor's "what production serves" link); its system message keeps
    // the shared/tone partial.
    await signInWithPassword(page, seeded.users.editor);
    await page.goto(`/${seeded.slug}/edit/support-reply?env=production`);
    await expect(page.getByTestId("edit-start")).toHaveText(
      "Starting from version 1, what production serves (the newest is version 3).",
    );
    await typeInEditor(
      page,
      "Message 1 (system) template",
      "You are a support agent for {{company}}.\n{{> shared/tone}}\nAnswer only from the knowledge base excerpt. Keep the reply under 80 words and end with one clear next step.",
      5,
    );
    await page.getByLabel("Commit message").fill("Shorter replies, 80 words");
    await page.getByRole("button", { name: "Save as new version" }).click();

    // 2. The prompt page shows version 4 and what it needs before production.
    await expect(page).toHaveURL(/\/prompts\/support-reply\?version=4/);
    await expect(page.getByRole("region", { name: "Prompt" })).toContainText("Version 4");
    const production = page.getByTestId("release-plan-production");
    await expect(production).toHaveAttribute("data-status", "blocked");
    for (const step of ["live_in", "evaluation", "review"])
      await expect(production.locator(`[data-step="${step}"]`)).toHaveAttribute("data-met", "false");
    await checkedScreenshot(page, "journey-plan-blocked");

    // 3. Promote to staging, from the plan. It would stop the product manager's staging experiment, which a
    // support lead may not end: the dialog says so and waits. The product manager (an approver) promotes it.
    await production.getByRole("button", { name: "Promote to staging…" }).click();
    const refused = page.getByRole("dialog", { name: "Promote to staging" });
    await expect(refused.getByTestId("ends-experiment")).toContainText(
      "Experiment “Concise replies” runs on support-reply in staging. Promoting would stop it, and only the person who created it or an approver may end it",
    );
    await expect(refused.getByRole("button", { name: "Promote version 4 to staging" })).toBeDisabled();
    await refused.getByRole("button", { name: "Cancel" }).click();
    await signOut(page);
    await signInWithPassword(page, seeded.users.approver);
    await page.goto(`/${seeded.slug}/prompts/support-reply?show=4#release`);
    await production.getByRole("button", { name: "Promote to staging…" }).click();
    const promote = page.getByRole("dialog", { name: "Promote to staging" });
    await expect(promote.getByTestId("plan-notice-stops_experiment")).toContainText(
      "Experiment “Concise replies” runs on support-reply in staging; this release stops it.",
    );
    await promote.getByRole("button", { name: "Promote version 4 to staging" }).click();
    await expect(page.getByTestId("live-staging")).toHaveText("v4");
    await expect(production.locator('[data-step="live_in"]')).toHaveAttribute("data-met", "true");
    await signOut(page);
    await signInWithPassword(page, seeded.users.editor);
    await page.goto(`/${seeded.slug}/prompts/support-reply?show=4#release`);

    // 4. Run the evaluation the gate asks for, from the plan: it renders the partial as production serves it.
    await production.getByRole("button", { name: "Run evaluation on support-reply regression" }).click();
    await expect(page).toHaveURL(/\/evaluations\/[0-9a-f-]{36}/);
    await expect(page.getByTestId("run-done")).toHaveText("120 of 120 evaluated", { timeout: 120_000 });
    await expect(page.getByTestId("run-progress")).toContainText("completed", { timeout: 30_000 });
    const rendered = (await (await fetch(`${model().url}/__requests`)).json()) as { prompt: string }[];
    expect(rendered.at(-1)!.prompt).toContain("Write in a warm, plain and confident tone.");
    expect(rendered.at(-1)!.prompt).not.toContain("{{> shared/tone}}");
    await page.goto(`/${seeded.slug}/prompts/support-reply?show=4#release`);
    await expect(production.locator('[data-step="evaluation"]')).toHaveAttribute("data-met", "true");

    // 5. Request the review; only the review is missing now.
    await production.getByRole("button", { name: "Request review…" }).click();
    const request = page.getByRole("dialog", { name: "Request review for production" });
    await expect(request.getByTestId("release-plan-production").locator('[data-met="false"]')).toHaveCount(1);
    await request.getByLabel("Message to the reviewer").fill("Shorter replies; evaluation passed");
    await request.getByRole("button", { name: "Request review" }).click();
    await expect(page.getByTestId("pending-review")).toContainText("v4 for production");
    await signOut(page);

    // 6. An approver sees, before opening it, that it goes live when approved; approves; production serves v4.
    await signInWithPassword(page, seeded.users.approver);
    await page.goto(`/${seeded.slug}/reviews`);
    await expect(page.getByTestId("review-plan")).toHaveText("Goes live when approved.");
    await page.getByTestId("pending-review").getByRole("button", { name: "Review…" }).click();
    const review = page.getByRole("dialog", { name: "Review support-reply v4 for production" });
    await review.getByLabel("Comment").fill("Good, and the gate agrees");
    await review.getByRole("button", { name: "Approve and deploy to production" }).click();
    await expect(page.getByText("Approved: production now serves version 4 of support-reply.")).toBeVisible();
    expect((await servedTo(runtime, "anyone")).version).toBe(4);
    await signOut(page);

    // 7. The product manager starts an experiment: version 4 (what production serves) against version 1.
    await signInWithPassword(page, seeded.users.admin);
    await page.goto(`/${seeded.slug}/experiments/new?prompt=support-reply`);
    const form = page.getByRole("form", { name: "New experiment" });
    await form.getByLabel("Environment").selectOption("production");
    await expect(form.getByLabel("Variant 1 version")).toHaveValue("4");
    await form.getByLabel("Variant 2 version").selectOption("1");
    await form.getByLabel("Name", { exact: true }).fill("New replies against the old");
    await form.getByLabel("Hypothesis").fill("The shorter replies get more thumbs up than version 1");
    await form.getByRole("button", { name: "Save as draft" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "New replies against the old" })).toBeVisible();
    await startFromPage(page, "New replies against the old");
    await expect(page.getByText("running", { exact: true }).first()).toBeVisible();
    const experimentId = page.url().split("/").pop()!;

    // 8. Demo traffic through the real APIs: version 4 (the control) is truly better.
    await demoTraffic(runtime, "--subjects", "800", "--better", "control");
    await expect
      .poll(
        async () =>
          Number(
            (await page.reload(), await page.getByTestId("progress").textContent())
              ?.match(/([\d,]+) in all/)?.[1]
              ?.replace(",", "") ?? 0,
          ),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(600);
    await expect(page.getByTestId("verdict")).not.toContainText("no subjects");
    await screenshot(page, "journey-experiment");

    // 9. Ship: the data favours version 4, which production already serves.
    await page.getByRole("button", { name: "Stop and decide…" }).click();
    const stop = page.getByRole("dialog", { name: "Stop “New replies against the old”" });
    await stop.getByRole("radio", { name: /Keep the control/ }).check();
    await stop.getByLabel("Reason (kept with the decision)").fill("Version 4 wins on thumbs up");
    await stop.getByRole("button", { name: "Stop and keep the control" }).click();
    await expect(page.getByTestId("headline")).toContainText("keeping the control");

    // 10. A follow-up experiment runs when the model starts answering badly for version 4 (long replies, no
    // next step): the rollback must stop it, and from then on serve every subject the known-good version.
    await cron("online-eval"); // score what the experiment's traffic sampled first
    const followUp = await api(admin, "POST", "/api/v1/experiments", {
      prompt: "support-reply",
      environment: "production",
      name: "Follow-up on the old replies",
      variants: [
        { key: "control", version: 4, weight: 0.9 },
        { key: "old", version: 1, weight: 0.1 },
      ],
      mode: "sequential",
      primaryMetric: { name: "thumbs", kind: "binary" },
    });
    expect(followUp.status, JSON.stringify(followUp.body)).toBe(201);
    const started = await api(admin, "POST", `/api/v1/experiments/${followUp.body.id}/start`);
    expect(started.body, JSON.stringify(started.body)).toMatchObject({ status: "running" });
    await demoTraffic(runtime, "--subjects", "300", "--regress");
    // 11. Online evaluation scores the new answers and rolls production back to version 1, the known-good one.
    let last = "";
    await expect
      .poll(
        async () => {
          // Score what arrived (the scheduler may have done it already), then check every rule.
          last = `${await (await cron("online-eval")).text()}\n${await (await cron("auto-rollback")).text()}`;
          // With the experiment still running, "anyone" may be in its "old" arm, which serves version 1 too:
          // rolled back means version 1 outside any experiment.
          const r = await servedTo(runtime, "anyone");
          return [r.version, r.experiment];
        },
        { timeout: 60_000, intervals: [1000], message: "production rolled back to v1" },
      )
      .toEqual([1, null])
      .catch((e: Error) => {
        throw new Error(`${e.message}\nlast online-eval run: ${last}`);
      });
    for (let i = 0; i < 50; i++) {
      const r = await servedTo(runtime, `after-${i}`);
      expect([r.version, r.experiment]).toEqual([1, null]);
    }
    expect((await api(admin, "GET", `/api/v1/experiments/${experimentId}`)).body.status).toBe("stopped");
    const stopped = (await api(admin, "GET", `/api/v1/experiments/${followUp.body.id}`)).body;
    expect(stopped.status).toBe("stopped");
    expect(stopped.decision).toMatchObject({
      stoppedBy: "deployment",
      deployment: { version: 1, action: "auto_rollback" },
    });
    await page.goto(`/${seeded.slug}/experiments/${followUp.body.id}`);
    await expect(page.getByTestId("headline")).toHaveText(
      "Stopped because production now serves version 1: everyone gets it.",
    );
    await expect(page.getByTestId("decision")).toContainText("auto rollback");

    await page.goto(`/${seeded.slug}/alerts`);
    await expect(
      page.getByText(/support-reply in production was rolled back automatically from v4 to v1/),
    ).toBeVisible();
    await checkedScreenshot(page, "journey-alert");
    await page.goto(`/${seeded.slug}/prompts/support-reply`);
    await expect(page.getByTestId("live-production")).toHaveText("v1");
    // The next check: v1 is live again and v4, just rolled back, is never named its known-good baseline.
    await cron("auto-rollback");
    await page.goto(`/${seeded.slug}/online/support-reply?environment=production`);
    const lastCheck = page.locator("#status");
    await expect(lastCheck).toContainText("v1 (live then)");
    await expect(lastCheck).not.toContainText("v4, the last known-good version");

    // 12. The webhooks: production's deployment on approval, both experiments' stops, the rollback and its alert.
    type Delivery = { type: string; data: Record<string, unknown> };
    const delivered = () => rx.requests.filter((r) => r.path === "/journey").map((r) => JSON.parse(r.body) as Delivery);
    const production4 = (d: Delivery) =>
      d.type === "prompt.deployed" && d.data.environment === "production" && d.data.version === 4;
    const rollbackTo1 = (d: Delivery) =>
      d.type === "prompt.rolled_back" && d.data.environment === "production" && d.data.version === 1;
    const stoppedOne = (id: string) => (d: Delivery) =>
      d.type === "experiment.stopped" && JSON.stringify(d.data).includes(id);
    await expect
      .poll(
        () => {
          const d = delivered();
          return [
            d.some(production4),
            d.some(stoppedOne(experimentId)),
            d.some(stoppedOne(followUp.body.id)),
            d.some(rollbackTo1),
            d.some((x) => x.type === "alert.created"),
          ];
        },
        { timeout: 60_000 },
      )
      .toEqual([true, true, true, true, true]);
    expect(delivered().find(rollbackTo1)!.data).toMatchObject({ prompt: "support-reply", automatic: true });
  } finally {
    await rx.close();
  }
});
