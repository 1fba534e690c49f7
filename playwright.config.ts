import { defineConfig } from "@playwright/test";

// Runs against the production build started by scripts/with-server.sh, in Debian's Chromium. Each spec seeds
// a project of its own (e2e/fixtures.ts), so spec files run in parallel workers against one server. The
// specs in `shared` touch what is not a project's own: the server's default model connection (its local
// model server listens on the one port LLM_BASE_URL names) or the jobs that sweep every project (scoring,
// shadow answers, regression checks, cron); they run one at a time, beside the others.
const shared = [
  "annotations.spec.ts",
  "datasets-and-plans.spec.ts",
  "evaluation.spec.ts",
  "journey.spec.ts",
  "online.spec.ts",
  "optimizations.spec.ts",
  "partials.spec.ts",
  "shadow.spec.ts",
  "tour.spec.ts",
];

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two: a spec spends much of its time waiting for the server, a job or typing at a person's pace, and the
  // other worker's spec uses that time (on two cores, 5.4 minutes for all of them against 7.1 with one).
  workers: Number(process.env.LECTERN_TEST_E2E_WORKERS || 2),
  retries: 0,
  reporter: [["list"], ["./e2e/slowest-reporter.ts"]],
  projects: [
    { name: "shared", testMatch: shared, workers: 1 },
    { name: "own-project", testIgnore: shared },
  ],
  use: {
    baseURL: process.env.LECTERN_TEST_BASE_URL,
    // A failed test keeps its trace: each action, its error, the console and the network; and a screenshot of
    // where it stopped. Not the screencast, nor a DOM snapshot at each action: recording them for every test
    // that passes cost the browser and the runner CPU the tests need on two cores (six specs: 79.7 and 80.0
    // CPU-seconds with snapshots, 69.2 and 68.9 without, 65.6 and 63.7 with no trace at all).
    trace: { mode: "retain-on-failure", screenshots: false, snapshots: false },
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.LECTERN_TEST_CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
