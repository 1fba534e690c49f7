// Charts and words as a product manager reads them: a chart's numbers in its table view
// and on hover, statistical terms explained where they appear, model settings without JSON quotes, and a
// variants table that names the control once.
import { checkedScreenshot, expect, seedApiKey, seedPrompt, signIn, test } from "./fixtures";
import { halves, startedExperiment, v1, v2 } from "./experiment-fixtures";

// The experiment specs' two versions, with model settings to show.
const config = { model: "gpt-4o-mini", temperature: 0.3 };

async function http(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${process.env.LECTERN_TEST_BASE_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Users resolve with their subject (the server assigns), then send a thumbs up or down; b is truly better. */
async function traffic(key: string, users: number) {
  const events: Record<string, unknown>[] = [];
  for (let from = 0; from < users; from += 25) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(25, users - from) }, (_, j) => from + j).map(async (i) => ({
        i,
        r: await http("GET", `/api/v1/prompts/resolve?name=support&environment=production&subject=u-${i}`, key),
      })),
    );
    for (const { i, r } of answers) {
      expect(r.status).toBe(200);
      const x = r.body.experiment as { id: string; variant: string };
      const up = x.variant === "b" ? i % 10 < 8 : i % 10 < 3;
      events.push({
        id: `fb-${i}`,
        type: "feedback",
        prompt: "support",
        version: r.body.version,
        environment: "production",
        subject: `u-${i}`,
        experimentId: x.id,
        variant: x.variant,
        value: up ? 1 : 0,
      });
    }
  }
  const sent = await http("POST", "/api/v1/events", key, { events });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
}

test("a chart's numbers in its table and on hover, terms explained, settings unquoted, the control named once", async ({
  page,
  seeded,
}) => {
  await seedPrompt(
    seeded,
    "support",
    [v1, v2].map((v) => ({ ...v, config })),
    { live: ["production"] },
  );
  const e = await startedExperiment(seeded, {
    prompt: "support",
    environment: "production",
    name: "Two sentences",
    variants: halves("b"),
    guardrails: [{ name: "latency_ms", kind: "continuous", direction: "increase_is_bad" }],
  });
  const key = await seedApiKey(seeded, {
    name: "e2e runtime",
    scope: "runtime",
  });
  await traffic(key, 200);

  await signIn(page, seeded.users.approver);

  // Model settings read as values, not JSON.
  await page.goto(`/${seeded.slug}/prompts/support`);
  const settings = page.getByRole("region", { name: "Model settings" });
  await expect(settings).toContainText("gpt-4o-mini");
  await expect(settings).not.toContainText('"gpt-4o-mini"');

  await page.goto(`/${seeded.slug}/experiments/${e.id}`);
  await expect(page.getByTestId("lift-summary")).toContainText("b: +");

  // The variants table names the control once.
  const variants = page.getByRole("table", { name: "Variants and their results" });
  await expect(variants).toBeVisible();
  expect(await variants.innerText()).not.toMatch(/control\s+control/i);
  expect(await page.locator("main").innerText()).not.toMatch(/control\s+control/i);

  // The lift chart's table, beside it, lists the same numbers as its caption (the newest bin first).
  const lift = page.getByRole("region", { name: "Lift over time" });
  const summary = (await page.getByTestId("lift-summary").innerText()).match(/b: (.+?\))/)![1]!;
  const table = lift.getByRole("table", {
    name: /^Cumulative lift over the control, (minute by minute|every \d+ minutes|hour by hour)$/,
  });
  await expect(table).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "b lift (interval)" })).toBeVisible();
  await expect(table.getByRole("row").nth(1)).toContainText(summary);
  await expect(table.getByRole("row").nth(1)).toContainText(/\d+/);

  // Hovering the chart shows the bin's numbers.
  const plot = lift.locator(".recharts-wrapper");
  await expect(plot).toBeVisible();
  // The mouse reaches only what is in view (the table no longer opens, and scrolls, above it).
  await plot.scrollIntoViewIfNeeded();
  const box = (await plot.boundingBox())!;
  const tooltip = lift.locator(".recharts-tooltip-wrapper");
  for (const x of [0.5, 0.45, 0.55, 0.3, 0.7]) {
    await page.mouse.move(box.x + box.width * x, box.y + box.height * 0.4, { steps: 5 });
    if (await tooltip.getByText(/subjects/).isVisible()) break;
  }
  await expect(tooltip).toContainText(/b: \+[\d.]+% \(.+% to .+%\) · \d+ subjects/);

  // Terms are explained on hover, and to keyboard and screen-reader users through their description.
  const pTerm = variants.getByText("Always-valid p (how surprising, if there were no difference)", { exact: true });
  await pTerm.hover();
  const explanation = page.getByRole("tooltip").filter({ hasText: "stays correct however often you look" });
  await expect(explanation).toBeVisible();
  await expect(pTerm).toHaveAccessibleDescription(/stays correct however often you look/);
  const holm = page.getByRole("region", { name: "Guardrails" }).getByText("Holm-adjusted p-value", { exact: true });
  // By keyboard alone: the pointer is moved off the page, so no hover keeps a tooltip open.
  await page.mouse.move(0, 0);
  await holm.focus();
  await expect(page.getByRole("tooltip").filter({ hasText: "the Holm method raises each p-value" })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("tooltip").filter({ hasText: "the Holm method raises each p-value" })).toBeHidden();
  await expect(
    page.getByRole("region", { name: "Definition" }).getByText("Significance (α)", { exact: true }),
  ).toHaveAccessibleDescription(/false alarm/);

  await checkedScreenshot(page, "comfort-words-experiment");
});
