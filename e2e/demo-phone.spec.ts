// The demo at 390 px: every main page of the README's tour, with the demo's data as seeded (long
// names, CUPED, a running experiment, a shadow comparison, labels, the audit log of the whole seed), measured for
// sideways scrolling on a phone. every-page.spec.ts checks each page file with data of its own; this one checks
// what a newcomer sees first.
import { desc, eq } from "drizzle-orm";
import { datasets, evalRuns } from "../db/schema";
import { overflow } from "./page-fit";
import { expect, hydrated, screenshot, signIn, test } from "./fixtures";
import { demoExperiment } from "./experiment-fixtures";

test("the demo's main pages fit a 390 px phone", async ({ browser, seeded }) => {
  test.setTimeout(240_000);
  const db = seeded.database.db;
  const experiment = await demoExperiment(seeded);
  const [run] = await db
    .select({ id: evalRuns.id })
    .from(evalRuns)
    .where(eq(evalRuns.projectId, seeded.projectId))
    .orderBy(desc(evalRuns.createdAt))
    .limit(1);
  const [dataset] = await db
    .select({ id: datasets.id })
    .from(datasets)
    .where(eq(datasets.projectId, seeded.projectId))
    .limit(1);
  const s = `/${seeded.slug}`;
  const pages = [
    `${s}/prompts`,
    `${s}/prompts/support-reply`,
    `${s}/prompts/shared/tone`,
    `${s}/edit/support-reply`,
    `${s}/experiments`,
    `${s}/experiments/${experiment.id}`,
    `${s}/evaluations`,
    `${s}/evaluations/${run!.id}`,
    `${s}/datasets`,
    `${s}/datasets/${dataset!.id}`,
    `${s}/online/summarizer`,
    `${s}/reviews`,
    `${s}/alerts`,
    `${s}/activity`,
    `${s}/settings`,
  ];
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, seeded.users.admin);
  const problems: string[] = [];
  for (const path of pages) {
    const res = await page.goto(path);
    expect(res?.status(), `${path} answered`).toBeLessThan(400);
    await hydrated(page);
    const o = await overflow(page);
    if (o.scrollWidth > o.width)
      problems.push(`${path}: ${o.scrollWidth} px wide at ${o.width} (${o.wide.join("; ")})`);
    if (o.inBoxes.length) problems.push(`${path}: scrolls sideways inside a box (${o.inBoxes.join("; ")})`);
    await screenshot(page, `demo-390${path.slice(s.length).replace(/[^\w]+/g, "-")}`);
  }
  await context.close();
  expect(problems).toEqual([]);
});
