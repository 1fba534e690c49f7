// Page downloads and the lift chart, in Chromium at the desktop and phone sizes. The demo experiment's "Lift over time"
// states the number the verdict and the variants table state (CUPED-adjusted), before and after the demo's
// traffic, with its table beside it and points at fixed times; a viewer downloads the shown version from the
// prompt page as Dotprompt and as .prompt.yml (a variable's default written into testData, with a warning),
// with the keyboard, and is told why a format cannot carry a version.
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { seedDemoPrompts } from "../lib/setup/seed-demo";
import { expect, screenshot, seedApiKey, signIn, systemCtx, test } from "./fixtures";
import { demoExperiment } from "./experiment-fixtures";
import { demoTraffic } from "./journey-calls";

const sizes = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** The concise arm's lift as the variants table states it, and as the chart's caption and table state it. */
async function liftsShown(page: Page) {
  const arm = (await page.getByTestId("arm-concise").innerText()).match(/[+−]\d+(?:\.\d+)?% \([^)]+\)/)![0];
  const caption = (await page.getByTestId("lift-summary").innerText()).match(/concise: ([^,]+\)),/)![1]!;
  const newest = await page.getByTestId("lift-table").getByRole("row").nth(1).innerText();
  return { arm, caption, newest };
}

test("the demo experiment's chart states the verdict's CUPED-adjusted lift, before and after its traffic", async ({
  page,
  seeded,
}) => {
  test.setTimeout(240_000);
  const e = await demoExperiment(seeded);
  await signIn(page, seeded.users.viewer);

  const check = async (when: string) => {
    for (const size of sizes) {
      await page.setViewportSize(size);
      await page.goto(`/${seeded.slug}/experiments/${e.id}`);
      const lift = page.getByRole("region", { name: "Lift over time" });
      await expect(lift.getByRole("table", { name: /^Cumulative lift over the control, / })).toBeVisible();
      const shown = await liftsShown(page);
      expect(shown.caption).toBe(shown.arm);
      expect(shown.newest).toContain(shown.arm);
      await expect(page.getByTestId("lift-summary")).toContainText("CUPED-adjusted as in the verdict (unadjusted ");
      // Points are labelled by fixed times (a date and a time), never "ago".
      expect(shown.newest).toMatch(/\d{1,2} \w{3} \d{4}, \d{2}:\d{2}/);
      await expect(lift).not.toContainText(/ ago\b/);
      await lift.scrollIntoViewIfNeeded();
      await screenshot(page, `lift-over-time-${when}-${size.name}`);
    }
  };
  await check("seeded");

  // The demo's traffic: a few hundred more users in staging, within a minute or two.
  const runtime = await seedApiKey(seeded, {
    name: "demo app",
    scope: "runtime",
  });
  await demoTraffic(runtime, "--environment", "staging", "--subjects", "300");
  await check("after-traffic");
  await expect(page.getByTestId("lift-table")).toContainText(/minute|\d{2}:\d{2}/);
});

test("a viewer downloads the shown version as Dotprompt and .prompt.yml from the prompt page", async ({
  page,
  seeded,
}) => {
  await seedDemoPrompts(systemCtx(seeded));
  await signIn(page, seeded.users.viewer);
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.goto(`/${seeded.slug}/prompts/summarizer?show=1`);
    const downloads = page.getByRole("region", { name: "Download version 1" });
    await expect(downloads).toBeVisible();
    await expect(downloads.getByTestId("download-prompt.yml")).toContainText(
      'Note: variable doc_type defaults to "document"',
    );
    await downloads.scrollIntoViewIfNeeded();
    await screenshot(page, `prompt-downloads-${size.name}`);
  }

  // With the keyboard: focus each link and press Enter.
  const downloads = page.getByRole("region", { name: "Download version 1" });
  const fetchFile = async (name: RegExp) => {
    await downloads.getByRole("link", { name }).focus();
    const [file] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    return { name: file.suggestedFilename(), text: await readFile((await file.path())!, "utf8") };
  };
  const yml = await fetchFile(/^\.prompt\.yml/);
  expect(yml.name).toBe("summarizer.prompt.yml");
  expect(yml.text).toMatch(/^# lectern: version 1, text\n# warning: variable doc_type defaults to "document"/);
  expect(yml.text).toMatch(/testData:\n {2}- doc_type: document\n {4}max_bullets: 5/);
  const dotprompt = await fetchFile(/^Dotprompt/);
  expect(dotprompt.name).toBe("summarizer.prompt");
  expect(dotprompt.text).toContain("Summarise the following {{doc_type}}");

  // support-reply includes a shared snippet and a section: .prompt.yml says why it cannot carry it.
  await page.goto(`/${seeded.slug}/prompts/support-reply?show=3`);
  const support = page.getByRole("region", { name: "Download version 3" });
  await expect(support.getByRole("link", { name: /^Dotprompt/ })).toBeVisible();
  await expect(support.getByTestId("download-prompt.yml")).toContainText(
    ".prompt.yml: not available for this version.",
  );
  await expect(support.getByRole("link", { name: /^\.prompt\.yml/ })).toHaveCount(0);
});
