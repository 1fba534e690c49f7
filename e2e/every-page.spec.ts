// The check of every page: each page of the app (app/**/page.tsx), with data in it, at 390 px and at
// 1280 px, does not scroll sideways and has no serious accessibility violation (axe); a screenshot of each
// is kept under test-results/screenshots/every-page-*. The list below must name every page file: a page
// added without a visit here fails the first test.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { addMember } from "../lib/auth/invitations";
import { createPasswordReset } from "../lib/auth/passwords";
import { findUserByEmail } from "../lib/auth/users";
import { recordRun } from "../lib/evaluation/runs/record-run";
import { createOptimization } from "../lib/optimization";
import { startRollout } from "../lib/experiments/rollouts/rollouts";
import { createBundle } from "../lib/release/bundles/bundles";
import { createDraft } from "../lib/release/drafts/drafts";
import { requestReview } from "../lib/release/reviews/reviews";
import { overflow } from "./page-fit";
import {
  expect,
  expectNoSeriousA11yViolations,
  hydrated,
  screenshot,
  type Seeded,
  seedOpenAlert,
  seedPrompt,
  signIn,
  systemCtx,
  test,
} from "./fixtures";
import { halves, startedExperiment } from "./experiment-fixtures";
import { seedDataset } from "./dataset-fixtures";
import { projectContext } from "../lib/context";
import { noEvents } from "../lib/announcements";

const widths = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
] as const;

// Each version names a model: the optimizer refuses a version with none before queueing.
const chat = (system: string) => ({
  type: "chat",
  config: { model: "scripted-model" },
  template: [
    { role: "system", content: system },
    { role: "user", content: "{{question}}" },
  ],
  variables: [{ name: "question" }],
});

/** Everything a page can show: versions live, an experiment, a rollout, a review, an alert, a dataset, runs, a draft. */
async function seedAll(seeded: Seeded) {
  const ctx = systemCtx(seeded);
  await seedPrompt(
    seeded,
    "team/support",
    [
      chat("You answer support questions for Acme."),
      chat("You answer support questions for Acme, politely and briefly."),
    ],
    { live: ["staging", "production"] },
  );
  const e = await startedExperiment(seeded, {
    prompt: "team/support",
    environment: "staging",
    name: "Politer",
    variants: halves("polite"),
  });
  await requestReview(ctx, "team/support", { version: 2, environment: "production", deployOnApprove: false });
  const rule = await seedOpenAlert(seeded, "team/support");
  const db = seeded.database.db;
  const ds = await seedDataset(
    seeded,
    { name: "support questions", prompt: "team/support" },
    ["Where is my refund?", "How do I reset my password?", "Can I change my plan?"].map((question) => ({
      input: { question },
      expected: "A short, polite answer with a next step.",
      tags: ["billing"],
    })),
  );
  const scorers = [{ type: "length", name: "concise", unit: "words", max: 60 }];
  const runs = [];
  for (const version of [1, 2])
    runs.push(
      await recordRun(ctx, { prompt: "team/support", version, dataset: ds.id, scorers }, ({ position }) => ({
        text: version === 1 && position === 0 ? "word ".repeat(80) : "Thanks for asking. We will check it now.",
      })),
    );
  const draft = await createDraft(ctx, "team/support", { name: "warmer tone" });
  // An optimization, queued (no job runs it here): its page shows the status and the empty comparison.
  const optimizeSet = await seedDataset(
    seeded,
    { name: "optimize set", prompt: "team/support" },
    ["a", "b", "c", "d"].map((question) => ({ input: { question }, expected: "ok" })),
  );
  const optimization = await createOptimization(
    ctx,
    {
      prompt: "team/support",
      version: 1,
      dataset: optimizeSet.id,
      scorers: [{ type: "exact_match" }],
      budget: { calls: 100, costUsd: 1 },
    },
    { enqueue: async () => {}, limits: null, models: null },
  );
  await createBundle(ctx, { name: "team/agent", prompts: ["team/support"] });
  // A guarded rollout under way (its own list and page, never among the experiments).
  await seedPrompt(seeded, "team/greeting", [chat("You greet visitors."), chat("You greet visitors warmly.")], {
    live: ["staging"],
  });
  const rollout = await startRollout(ctx, "team/greeting", { environment: "staging", version: 2 });
  const invited = await addMember(projectContext(db, { type: "system", label: "e2e" }, seeded.projectId, noEvents), {
    email: `invitee-${seeded.slug}@e2e.lectern.dev`,
    role: "viewer",
  });
  if (invited.kind !== "invited") throw new Error("expected an invitation");
  const viewer = await findUserByEmail(db, seeded.users.viewer.email);
  const reset = await createPasswordReset({ db, actor: { type: "system", label: "e2e" } }, viewer!.id);
  return {
    experimentId: e.id,
    rolloutId: rollout.id,
    ruleId: rule.id,
    datasetId: ds.id,
    runA: runs[0]!.id,
    runB: runs[1]!.id,
    draftId: draft.id,
    optimizationId: optimization.id,
    inviteToken: invited.token,
    resetToken: reset.token,
  };
}

type Ids = Awaited<ReturnType<typeof seedAll>>;

/** page file (relative to app/) → the address visited, signed in or not. */
function visits(slug: string, ids: Ids): { file: string; path: string; signedIn: boolean }[] {
  const p = (file: string, path: string, signedIn = true) => ({ file, path, signedIn });
  return [
    p("page.tsx", "/"),
    p("projects/new/page.tsx", "/projects/new"),
    p("account/page.tsx", "/account"),
    p("(dashboard)/[project]/page.tsx", `/${slug}`),
    p("(dashboard)/[project]/prompts/page.tsx", `/${slug}/prompts`),
    p("(dashboard)/[project]/prompts/[...name]/page.tsx", `/${slug}/prompts/team/support`),
    p("(dashboard)/[project]/new/page.tsx", `/${slug}/new`),
    p("(dashboard)/[project]/edit/[...name]/page.tsx", `/${slug}/edit/team/support`),
    p("(dashboard)/[project]/diff/[...name]/page.tsx", `/${slug}/diff/team/support?from=1&to=2`),
    p("(dashboard)/[project]/drafts/[id]/page.tsx", `/${slug}/drafts/${ids.draftId}`),
    p("(dashboard)/[project]/reviews/page.tsx", `/${slug}/reviews`),
    p("(dashboard)/[project]/bundles/page.tsx", `/${slug}/bundles`),
    p("(dashboard)/[project]/bundles/[...name]/page.tsx", `/${slug}/bundles/team/agent`),
    p("(dashboard)/[project]/experiments/page.tsx", `/${slug}/experiments`),
    p("(dashboard)/[project]/experiments/new/page.tsx", `/${slug}/experiments/new`),
    p("(dashboard)/[project]/experiments/[id]/page.tsx", `/${slug}/experiments/${ids.experimentId}`),
    p("(dashboard)/[project]/rollouts/page.tsx", `/${slug}/rollouts`),
    p("(dashboard)/[project]/rollouts/[id]/page.tsx", `/${slug}/rollouts/${ids.rolloutId}`),
    p("(dashboard)/[project]/evaluations/page.tsx", `/${slug}/evaluations`),
    p("(dashboard)/[project]/evaluations/new/page.tsx", `/${slug}/evaluations/new`),
    p("(dashboard)/[project]/optimizations/new/page.tsx", `/${slug}/optimizations/new?prompt=team/support`),
    p("(dashboard)/[project]/optimizations/[id]/page.tsx", `/${slug}/optimizations/${ids.optimizationId}`),
    p("(dashboard)/[project]/evaluations/[id]/page.tsx", `/${slug}/evaluations/${ids.runB}`),
    p("(dashboard)/[project]/evaluations/compare/page.tsx", `/${slug}/evaluations/compare?a=${ids.runA}&b=${ids.runB}`),
    p("(dashboard)/[project]/datasets/page.tsx", `/${slug}/datasets`),
    p("(dashboard)/[project]/datasets/[id]/page.tsx", `/${slug}/datasets/${ids.datasetId}`),
    p("(dashboard)/[project]/online/[...name]/page.tsx", `/${slug}/online/team/support`),
    p("(dashboard)/[project]/alerts/page.tsx", `/${slug}/alerts`),
    p("(dashboard)/[project]/annotate/page.tsx", `/${slug}/annotate?rule=${ids.ruleId}`),
    p("(dashboard)/[project]/activity/page.tsx", `/${slug}/activity`),
    p("(dashboard)/[project]/settings/page.tsx", `/${slug}/settings`),
    p("(auth)/login/page.tsx", "/login", false),
    p("forgot/page.tsx", "/forgot", false),
    p("invite/[token]/page.tsx", `/invite/${ids.inviteToken}`, false),
    p("reset/[token]/page.tsx", `/reset/${ids.resetToken}`, false),
  ];
}

function pageFiles(dir = path.join(process.cwd(), "app")): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = path.join(dir, e);
    if (statSync(full).isDirectory()) return pageFiles(full);
    return e === "page.tsx" ? [path.relative(path.join(process.cwd(), "app"), full).split(path.sep).join("/")] : [];
  });
}

/**
 * The page's serious axe violations in one line ("rule: help (count: targets)"), or null. axe run while the
 * page re-renders (a refresh after a server action) fails with no violations in its message: that is run again
 * once, and said as it is if it fails again.
 */
async function axeProblems(page: Page, attempt = 1): Promise<string | null> {
  try {
    await expectNoSeriousA11yViolations(page);
    return null;
  } catch (e) {
    // Playwright colours its message (ANSI escapes): without them, the violations are the received array's lines.
    const message = (e as Error).message.replace(/\u001b\[[0-9;]*m/g, "");
    const lines = message.split("\n").filter((l) => /^\s*\+\s+"/.test(l));
    if (lines.length) return lines.map((l) => l.trim()).join(" ");
    if (attempt === 1) return axeProblems(page, 2);
    return `axe could not check the page: ${message.split("\n").find((l) => l.trim()) ?? "no message"}`;
  }
}

async function check(browser: Browser, seeded: Seeded, ids: Ids, width: (typeof widths)[number]) {
  const problems: string[] = [];
  const signedIn = await browser.newContext({ viewport: width });
  const signedOut = await browser.newContext({ viewport: width });
  const inPage = await signedIn.newPage();
  const outPage = await signedOut.newPage();
  await signIn(inPage, seeded.users.admin);
  for (const v of visits(seeded.slug, ids)) {
    const page = v.signedIn ? inPage : outPage;
    const res = await page.goto(v.path);
    expect(res?.status(), `${v.path} answered`).toBeLessThan(400);
    await hydrated(page);
    // Pages with an editor are checked once it has loaded (axe would otherwise read a half-built editor).
    if (v.file.startsWith("(dashboard)/[project]/diff"))
      await expect(page.locator(".monaco-diff-editor").first()).toBeVisible({ timeout: 30_000 });
    // An editor still loading says so (components/editor/editor-skeleton.tsx); under load Monaco may not
    // have begun to mount when the page has hydrated.
    await expect(page.getByText(/^Loading the editor for/)).toHaveCount(0, { timeout: 30_000 });
    if (/\/(edit|drafts|new)\//.test(`/${v.file}`) && (await page.locator(".monaco-editor").count()))
      await expect(page.locator(".monaco-editor .view-lines").first()).toBeVisible({ timeout: 30_000 });
    const o = await overflow(page);
    if (o.scrollWidth > o.width)
      problems.push(`${v.path}: ${o.scrollWidth} px wide at ${o.width} (${o.wide.join("; ")})`);
    if (width.name === "phone" && o.inBoxes.length)
      problems.push(`${v.path}: scrolls sideways inside a box at ${o.width} px (${o.inBoxes.join("; ")})`);
    if (width.name === "phone" && o.unlabelled.length)
      problems.push(
        `${v.path}: a card of a stacked table has values without their column's name (${o.unlabelled.join("; ")})`,
      );
    const a11y = await axeProblems(page);
    if (a11y) problems.push(`${v.path}: ${a11y}`);
    await screenshot(page, `every-page-${width.name}-${v.file.replace(/[^\w]+/g, "-").replace(/^-|-tsx$/g, "")}`);
  }
  await signedIn.close();
  await signedOut.close();
  return problems;
}

// The two widths are independent (each seeds its own project and browser contexts): side by side in two workers,
// instead of one after the other in one, so this spec, the longest, no longer ends the tier alone.
test.describe.configure({ mode: "parallel" });

test("every page file is visited by this spec", () => {
  const listed = new Set(visits("x", {} as Ids).map((v) => v.file));
  expect(pageFiles().filter((f) => !listed.has(f))).toEqual([]);
});

for (const width of widths)
  test(`every page at ${width.width} px: no sideways scrolling, no serious axe violation`, async ({
    browser,
    seeded,
  }) => {
    test.setTimeout(300_000);
    const ids = await seedAll(seeded);
    expect(await check(browser, seeded, ids, width)).toEqual([]);
  });
