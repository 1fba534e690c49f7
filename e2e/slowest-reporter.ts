// A Playwright reporter that prints, after the run, the 10 spec files that took longest (the sum of their
// tests, fixtures included); playwright.config.ts adds it beside the list reporter.
import path from "node:path";
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";

export default class SlowestSpecs implements Reporter {
  private readonly byFile = new Map<string, number>();

  onTestEnd(test: TestCase, result: TestResult) {
    const file = path.relative(process.cwd(), test.location.file);
    this.byFile.set(file, (this.byFile.get(file) ?? 0) + result.duration);
  }

  onEnd() {
    const rows = [...this.byFile].sort((a, b) => b[1] - a[1]).slice(0, 10);
    if (!rows.length) return;
    console.log(`\nSlowest ${rows.length} spec files (their tests' durations summed):`);
    for (const [file, ms] of rows) console.log(`${(ms / 1000).toFixed(1).padStart(8)} s  ${file}`);
  }
}
