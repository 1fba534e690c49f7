// A vitest reporter that prints, after the run, the 10 test files that took longest (importing the file and
// running its tests and hooks), so that a tier's time can be read where it goes. `npm test` adds it to
// every vitest tier (scripts/test.sh); the Playwright tier has its own (e2e/slowest-reporter.ts).
import path from "node:path";
import type { Reporter, TestModule } from "vitest/node";

export default class SlowestFiles implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const rows = modules
      .map((m) => {
        const d = m.diagnostic();
        return { file: path.relative(process.cwd(), m.moduleId), ms: d.collectDuration + d.setupDuration + d.duration };
      })
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10);
    if (!rows.length) return;
    console.log(`\nSlowest ${rows.length} files (import + tests and hooks; files in parallel workers overlap):`);
    for (const r of rows) console.log(`${(r.ms / 1000).toFixed(1).padStart(8)} s  ${r.file}`);
  }
}
