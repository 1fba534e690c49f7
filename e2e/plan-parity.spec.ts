// The UI and the REST API refuse the same promotions with the same plan (docs/evaluation.md): the promote dialog shows
// the plan GET .../release-plan returns, step for step, before anyone clicks; and when the rules change while
// the dialog is open, its promotion is refused by the server with the same message the API answers for the
// same promotion (the plan is checked again under the lock), and nothing is deployed by either.
import { updateEnvironment } from "../lib/release/environments";
import { sentence } from "../lib/sentence";
import { expect, seedApiKey, seedDeploy, seedPrompt, signIn, systemCtx, test } from "./fixtures";

const v = (text: string) => ({
  type: "chat",
  template: [{ role: "system", content: text }],
  variables: [],
  config: {},
});

test("the promote dialog and the API show and enforce the same release plan", async ({ page, seeded }) => {
  await seedPrompt(seeded, "parity", [v("One."), v("Two."), v("Three.")], { live: ["staging"] });
  await seedDeploy(seeded, "parity", "staging", 3);
  await seedDeploy(seeded, "parity", "production", 1);
  await updateEnvironment(systemCtx(seeded), "production", { requiresLiveIn: "staging" });
  const admin = await seedApiKey(seeded, {
    name: "parity",
    scope: "admin",
  });
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(process.env.LECTERN_TEST_BASE_URL + path, {
      method,
      headers: { authorization: `Bearer ${admin}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const planOf = async (version: number) =>
    (await api("GET", `/api/v1/prompts/parity/versions/${version}/release-plan?environment=production`)).body;

  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/prompts/parity`);
  await page.getByTestId("env-production").getByRole("button", { name: "Promote…" }).click();
  const dialog = page.getByRole("dialog", { name: "Promote to production" });
  const shown = dialog.getByTestId("release-plan-production");
  // Step for step, for a blocked version and a ready one: the same ids, met flags, titles and details.
  for (const [version, status] of [
    [2, "blocked"],
    [3, "ready"],
  ] as const) {
    const plan = await planOf(version);
    expect(plan.status).toBe(status);
    await dialog.getByLabel("Version", { exact: true }).selectOption(String(version));
    await expect(shown).toHaveAttribute("data-status", status);
    const steps = shown.locator("[data-step]");
    await expect(steps).toHaveCount(plan.steps.length);
    for (const [i, step] of (plan.steps as { id: string; met: boolean; title: string; detail: string }[]).entries()) {
      await expect(steps.nth(i)).toHaveAttribute("data-step", step.id);
      await expect(steps.nth(i)).toHaveAttribute("data-met", String(step.met));
      await expect(steps.nth(i)).toContainText(step.title);
      await expect(steps.nth(i)).toContainText(step.detail);
    }
  }
  const button = dialog.getByRole("button", { name: "Promote version 3 to production" });
  await expect(button).toBeEnabled();

  // While the dialog is open, production starts requiring a review.
  expect((await api("PATCH", "/api/v1/environments/production", { requiresReview: true })).status).toBe(200);
  const plan = await planOf(3);
  expect(plan.missing).toEqual(["review"]);
  // The API refuses the promotion with that plan in its details…
  const refused = await api("POST", "/api/v1/prompts/parity/deployments", { environment: "production", version: 3 });
  expect(refused.status).toBe(409);
  expect(refused.body.error.details.plan).toEqual(plan);
  // …and the dialog's promotion, checked again by the server, is refused with the same words.
  await button.click();
  await expect(dialog.getByRole("alert")).toHaveText(sentence(refused.body.error.message));
  const live = await api("GET", "/api/v1/prompts/parity/deployments?environment=production");
  expect(live.body.data[0]).toMatchObject({ version: 1 });
});
