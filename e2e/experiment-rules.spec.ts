// Who may run experiments, and the environment's rules: editors see experiments but not the buttons (and
// why), and a ship the environment refuses names the rule while the experiment keeps running.
import { updateEnvironment } from "../lib/release/environments";
import { runningSplit, v1, v2 } from "./experiment-fixtures";
import { expect, seedPrompt, signIn, systemCtx, test } from "./fixtures";

test("editors see experiments but not the buttons, and are told why", async ({ page, seeded }) => {
  await seedPrompt(seeded, "support", [v1, v2], { live: ["staging"] });
  await runningSplit(seeded, "staging", "Shorter");

  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/experiments`);
  await expect(
    page.getByText("Your role (editor) cannot manage experiments; approver or higher is required."),
  ).toBeVisible();
  await page.getByRole("link", { name: "Shorter" }).click();
  const stop = page.getByRole("button", { name: "Stop and decide…" });
  await expect(stop).toHaveAttribute("aria-disabled", "true");
  await expect(stop).toHaveAccessibleDescription(/Your role \(editor\) cannot manage experiments/);
  await page.goto(`/${seeded.slug}/prompts/support`);
  await expect(page.getByTestId("running-experiment")).toContainText("Shorter");
  // Promoting to staging would end the approver's experiment: the editor is told so, and cannot.
  await page.getByTestId("env-staging").getByRole("button", { name: "Promote…" }).click();
  const promote = page.getByRole("dialog", { name: "Promote to staging" });
  await promote.getByLabel("Version", { exact: true }).selectOption("2");
  await expect(promote.getByTestId("ends-experiment")).toContainText(
    "Experiment “Shorter” runs on support in staging. Promoting would stop it, and only the person who created it or an approver may end it",
  );
  await expect(promote.getByRole("button", { name: "Promote version 2 to staging" })).toBeDisabled();
});

test("a ship the environment's rules refuse says which rule, and the experiment keeps running", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "support", [v1, v2], { live: ["production"] });
  // The experiment started before production required reviews (a start is checked against the rules too);
  // shipping is checked against the rules as they are now.
  const e = await runningSplit(seeded, "production", "Needs review");
  await updateEnvironment(systemCtx(seeded), "production", { requiresReview: true });

  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/experiments/${e.id}`);
  await page.getByRole("button", { name: "Stop and decide…" }).click();
  const stop = page.getByRole("dialog", { name: "Stop “Needs review”" });
  await stop.getByRole("radio", { name: /Ship b/ }).check();
  await expect(stop).toContainText("it requires an approved review of the version");
  // No winner called: the dialog says so, and shipping anyway needs a reason.
  await expect(stop.getByRole("region", { name: "What the data says" })).toContainText(
    "The data has not called a winner.",
  );
  await expect(stop.getByRole("button", { name: "Ship b to production" })).toBeDisabled();
  await stop.getByLabel("Reason (kept with the decision)").fill("Trying b in production");
  await stop.getByRole("button", { name: "Ship b to production" }).click();
  await expect(stop.getByRole("alert")).toContainText("Production requires an approved review");
  await stop.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(page.getByTestId("headline")).toHaveText("Waiting for the first subjects.");
  await expect(page.getByRole("button", { name: "Stop and decide…" })).toBeVisible();
});
