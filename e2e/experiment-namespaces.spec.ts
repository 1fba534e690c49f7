// A product manager makes a second experiment mutually exclusive with one already running on another
// prompt: the form shows who holds which share of the namespace, refuses an overlap at its field, and
// offers the free share; the experiment page states its share.
import { checkedScreenshot, expect, expectNoSeriousA11yViolations, seedPrompt, signIn, test } from "./fixtures";
import { halves, startedExperiment, saveAndStart, v1, v2 } from "./experiment-fixtures";

test("a namespace keeps two experiments on different prompts apart, and the form says what is free", async ({
  page,
  seeded,
}) => {
  for (const name of ["tone", "length"]) {
    await seedPrompt(seeded, name, [v1, v2], { live: ["staging"] });
  }
  await startedExperiment(seeded, {
    prompt: "tone",
    environment: "staging",
    name: "Warmer tone",
    variants: halves("warm"),
    namespace: { name: "checkout", range: [0, 0.6] },
  });

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/experiments/new?prompt=length&environment=staging`);
  const form = page.getByRole("form", { name: "New experiment" });
  await form.getByLabel("Name", { exact: true }).fill("Shorter answers");
  await form.getByLabel("Namespace").pressSequentially("checkout");
  const usage = page.getByTestId("namespace-usage");
  await expect(usage).toContainText("0–60%: “Warmer tone” on tone in staging (running)");
  await expect(usage).toContainText("Free: 60–100%");

  // An overlapping share is refused at its field, naming the running experiment and what is free.
  await form.getByLabel("From (%)").fill("50");
  await form.getByLabel("To (%)").fill("100");
  await form.getByRole("button", { name: "Save as draft" }).click();
  await expect(form.getByLabel("From (%)")).toHaveAccessibleDescription(
    /50–100% of namespace "checkout" overlaps running experiment "Warmer tone" on tone in staging \(0–60%\)/,
  );
  await checkedScreenshot(page, "experiment-namespace-refused");

  await usage.getByRole("button", { name: "Use 60–100%" }).click();
  await expect(form.getByLabel("From (%)")).toHaveValue("60");
  await expect(form.getByLabel("To (%)")).toHaveValue("100");
  await saveAndStart(page, form, "Shorter answers", "checkout: this experiment takes 60–100% of its users.");
  await expectNoSeriousA11yViolations(page);
});
