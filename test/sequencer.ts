// The order the unit and int tiers start their files in: the slowest first, so that no worker ends a tier alone
// with a long file it picked up last. Vitest orders by the last run's times when it has them (its cache, kept in
// node_modules/.vite); a fresh clone, as in CI, has none, and Vitest then starts the largest files first, which
// put the two slowest unit files (under 200 lines, 12 s each) at the end: one worker ran them alone while the
// other had nothing left.
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Files that took 5 s or more in a CI run (the tiers' "Slowest 10 files"), slowest first. A file missing here
// only starts later; a listed file that no longer exists fails test/sequencer.test.ts.
export const slowestFirst = [
  "lib/evaluation/online/shadow/shadow-window.int.test.ts",
  "lib/setup/demo-model.int.test.ts",
  "lib/jobs/queue.int.test.ts",
  "lib/server/http/rollout-surfaces.int.test.ts",
  "lib/server/actions/resource-rules.int.test.ts",
  "lib/server/http/review-surfaces.int.test.ts",
  "lib/experiments/rollouts/bundle-rollouts.int.test.ts",
  "lib/experiments/rollouts/rollout-simulate.test.ts",
  "cli/src/adopt/rewrite.test.ts",
  "lib/experiments/analysis/decisions.int.test.ts",
  "lib/server/http/release-surfaces.int.test.ts",
  "lib/release/composing.int.test.ts",
  "lib/server/http/mcp/mcp-fleet.int.test.ts",
];

export function slowestFirstOrder<T>(files: T[], fileOf: (f: T) => string): T[] {
  const rank = (f: T) => {
    const i = slowestFirst.indexOf(fileOf(f));
    return i < 0 ? slowestFirst.length : i;
  };
  // Array.prototype.sort is stable: the rest keep Vitest's own order.
  return [...files].sort((a, b) => rank(a) - rank(b));
}

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const sorted = await super.sort(files);
    return slowestFirstOrder(sorted, (f) => path.relative(root, f.moduleId).split(path.sep).join("/"));
  }
}
