// Agent bundles in the browser (docs/decisions/bundles.md): an approver creates a bundle of two prompts, releases both
// to production in one action after seeing each member's plan, and rolls both back in one; an application
// resolving the bundle in a loop all the while never gets one member from before and one from after. One
// review covers a bundle release: an editor asks once, an approver approves once, and both members go live;
// when a member's changes break production's callers, the review and the release form list them and wait for a tick.
import { requestBundleReview } from "../lib/release/bundles/bundle-reviews";
import { createBundle } from "../lib/release/bundles/bundles";
import { updateEnvironment } from "../lib/release/environments";
import type { Page } from "@playwright/test";
import type { Seeded } from "./fixtures";
import { expect, screenshot, seedApiKey, seedDeploy, seedPrompt, signIn, signOut, systemCtx, test } from "./fixtures";
import { api } from "./journey-calls";

const text = (template: string) => ({ type: "text", template });

/** Each of `names` with two versions ("<name> one", "<name> two"), version 1 live in production. */
async function seedMembers(seeded: Seeded, names: string[]) {
  for (const name of names)
    await seedPrompt(seeded, name, [text(`${name} one`), text(`${name} two`)], { live: ["production"] });
}

/**
 * Bundle `name` of `<name>/ask` ("<greeting> {{customer}}.", whose version 2 needs an order_id too: a breaking
 * change) and `<name>/tone` ("<tone> one", "<tone> two"), both serving version 1 in production.
 */
async function seedBreakingBundle(seeded: Seeded, name: string, greeting: string, tone: string) {
  const ask = { type: "text", template: `${greeting} {{customer}}.`, variables: [{ name: "customer" }] };
  const withOrder = {
    template: `${greeting} {{customer}}, order {{order_id}}.`,
    variables: [...ask.variables, { name: "order_id" }],
  };
  await seedPrompt(seeded, `${name}/ask`, [ask, { ...ask, ...withOrder }]);
  await seedPrompt(seeded, `${name}/tone`, [text(`${tone} one`), text(`${tone} two`)]);
  for (const member of ["ask", "tone"]) await seedDeploy(seeded, `${name}/${member}`, "production", 1);
  await createBundle(systemCtx(seeded), { name, prompts: [`${name}/ask`, `${name}/tone`] });
}

/** On the bundle's page: each of `members` serves `version` (as "v2") in production. */
async function expectProduction(page: Page, members: string[], version: string) {
  for (const member of members)
    await expect(page.locator(`[data-member="${member}"] [data-env="production"]`)).toHaveText(version);
}

/** The approval of `bundle`'s review released it (said so, no review left pending): on its page its members serve v2. */
async function expectApprovedRelease(page: Page, slug: string, bundle: string, members: string[]) {
  await expect(
    page.getByText(new RegExp(`Approved: bundle ${bundle} released to production \\(release \\d+\\)\\.`)),
  ).toBeVisible();
  await expect(page.getByTestId("pending-review")).toHaveCount(0);
  await page.goto(`/${slug}/bundles/${bundle}`);
  await expectProduction(page, members, "v2");
}

test("a bundle of two prompts is released to production in one action and rolled back in one", async ({
  page,
  seeded,
}) => {
  await seedMembers(seeded, ["agent/system", "agent/tools"]);
  const runtime = await seedApiKey(seeded, { name: "agent app", scope: "runtime" });
  const versions = async () => {
    const r = await api(runtime, "GET", "/api/v1/bundles/agent/resolve?environment=production");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return Object.values(r.body.prompts as Record<string, { version: number }>).map((p) => p.version);
  };

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/prompts`);
  await page.getByRole("link", { name: "Bundles" }).click();
  await page.getByLabel("Bundle name").fill("agent");
  await page.getByLabel("Filter prompts").fill("agent/");
  await page.getByRole("checkbox", { name: "agent/system" }).check();
  await page.getByRole("checkbox", { name: "agent/tools" }).check();
  await page.getByRole("button", { name: "Create bundle" }).click();
  await expect(page).toHaveURL(new RegExp(`/${seeded.slug}/bundles/agent$`));

  // Both members' plans for production, then one release; a client resolving all the while never sees a mix.
  await page.getByLabel("Environment", { exact: true }).selectOption("production");
  await expect(page.getByLabel("agent/tools version")).toHaveValue("2");
  const plans = page.getByTestId("bundle-plans");
  await expect(plans.locator("[data-member-plan]")).toHaveCount(2);
  await expect(plans.locator('[data-status="ready"]')).toHaveCount(2);
  let switching = true;
  const seen: number[][] = [];
  const reader = (async () => {
    while (switching) seen.push(await versions());
  })();
  await page.getByRole("button", { name: "Release to production" }).click();
  await expectProduction(page, ["agent/system", "agent/tools"], "v2");
  // The form reads the plans again: both members are live now, so there is nothing to release.
  await expect(plans.locator('[data-status="live"]')).toHaveCount(2);
  await expect(page.getByRole("button", { name: "production serves these versions" })).toBeDisabled();
  await screenshot(page, "bundle-released");

  // One rollback returns both, after the app's own confirmation (never the browser's).
  await page.getByTestId("bundle-history-production").getByRole("button", { name: "Roll back production" }).click();
  const sure = page.getByRole("dialog", { name: "Roll back agent in production?" });
  await sure.getByRole("button", { name: "Roll back production" }).click();
  await expectProduction(page, ["agent/system", "agent/tools"], "v1");
  switching = false;
  await reader;
  expect(seen.length).toBeGreaterThan(0);
  for (const [a, b] of seen) expect(a).toBe(b);
  expect(await versions()).toEqual([1, 1]);
  await expect(page.getByTestId("bundle-history-production").locator("[data-release]")).toHaveCount(2);
});

test("one review of a bundle: an editor asks once, an approver approves once, both members go live", async ({
  page,
  seeded,
}) => {
  await seedMembers(seeded, ["crew/plan", "crew/act"]);
  await createBundle(systemCtx(seeded), { name: "crew", prompts: ["crew/plan", "crew/act"] });
  await updateEnvironment(systemCtx(seeded), "production", { requiresReview: true });

  // The editor may not release to production; the form offers one review of both members instead.
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/bundles/crew`);
  await page.getByLabel("Environment", { exact: true }).selectOption("production");
  const plans = page.getByTestId("bundle-plans");
  await expect(plans.locator('[data-status="blocked"]')).toHaveCount(2);
  await page.getByLabel("Reason (optional)").fill("plan and act share the new tool list");
  await page.getByRole("button", { name: "Request one review of the bundle" }).click();
  await expect(page.getByText("One review of crew/act, crew/plan requested for production.")).toBeVisible();
  const reviews = page.getByTestId("bundle-reviews");
  await expect(reviews.locator('[data-status="pending"]')).toHaveCount(1);
  await expect(reviews).toContainText("crew/act v2, crew/plan v2 for production");
  await signOut(page);

  // The approver sees both requests as one review, and one approval releases the bundle.
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/reviews`);
  const rows = page.getByTestId("pending-review").filter({ hasText: "One review of bundle crew" });
  await expect(rows).toHaveCount(2);
  await expect(rows.first().getByTestId("bundle-review")).toContainText("crew/act v2, crew/plan v2");
  await rows.first().getByRole("button", { name: "Review…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("deciding it decides every member's request, and approving releases the bundle");
  await screenshot(page, "bundle-review-dialog");
  await dialog.getByRole("button", { name: "Approve and release crew" }).click();
  await expectApprovedRelease(page, seeded.slug, "crew", ["crew/plan", "crew/act"]);
  await expect(page.getByTestId("bundle-reviews").locator('[data-status="approved"]')).toHaveCount(1);
  await expect(page.getByTestId("bundle-history-production").locator("[data-release]").first()).toContainText(
    "Approved review",
  );
  await screenshot(page, "bundle-reviewed");
});

test("approving a bundle review lists each member's breaking changes and waits for the confirmation", async ({
  page,
  seeded,
}) => {
  await seedBreakingBundle(seeded, "desk", "Hello", "calm");
  await updateEnvironment(systemCtx(seeded), "production", { requiresReview: true });
  await requestBundleReview(systemCtx(seeded), "desk", {
    environment: "production",
    versions: { "desk/ask": 2, "desk/tone": 2 },
  });

  // Opened from the member that breaks nothing: approving releases both, so desk/ask's change is listed too.
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/reviews`);
  const rows = page.getByTestId("pending-review").filter({ hasText: "One review of bundle desk" });
  await expect(rows).toHaveCount(2);
  await rows
    .filter({ has: page.getByRole("link", { name: "desk/tone", exact: true }) })
    .getByRole("button", { name: "Review…" })
    .click();
  const dialog = page.getByRole("dialog", { name: "Review desk/tone v2 for production" });
  const breaking = dialog.getByTestId("bundle-breaking-changes");
  await expect(breaking.locator("[data-member]")).toHaveCount(1);
  await expect(breaking.locator('[data-member="desk/ask"]')).toContainText("desk/ask v2");
  await expect(breaking.locator('[data-member="desk/ask"]')).toContainText("New required variable order_id");
  const approve = dialog.getByRole("button", { name: "Approve and release desk" });
  await expect(approve).toBeDisabled();
  await screenshot(page, "bundle-review-breaking");
  await breaking.getByRole("checkbox", { name: /I understand .* release bundle desk to production anyway/ }).check();
  await expect(approve).toBeEnabled();
  await approve.click();
  await expectApprovedRelease(page, seeded.slug, "desk", ["desk/ask", "desk/tone"]);
});

test("releasing a bundle straight to production lists its breaking changes and waits for the confirmation", async ({
  page,
  seeded,
}) => {
  await seedBreakingBundle(seeded, "line", "Hi", "warm");

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/bundles/line`);
  await page.getByLabel("Environment", { exact: true }).selectOption("production");
  await page.getByLabel("line/ask version").selectOption("2");
  await page.getByLabel("line/tone version").selectOption("2");
  const breaking = page.getByTestId("bundle-breaking-changes");
  await expect(breaking.locator('[data-member="line/ask"]')).toContainText("New required variable order_id");
  const releaseButton = page.getByRole("button", { name: "Release to production" });
  await expect(releaseButton).toBeDisabled();
  await breaking.getByRole("checkbox", { name: /I understand .* release bundle line to production anyway/ }).check();
  await expect(releaseButton).toBeEnabled();
  await releaseButton.click();
  await expect(page.getByText(/Bundle line released to production \(release \d+\)\./)).toBeVisible();
  await expectProduction(page, ["line/ask", "line/tone"], "v2");
});
