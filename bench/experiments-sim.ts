// Benchmark rows for the experiments statistics: A/A false-positive rate of the always-valid confidence
// sequence vs naive daily peeking, and bandit regret vs a fixed 50/50 split. Seeded, so the numbers are
// the same on every machine; only the time varies. Standalone: `npx tsx bench/experiments-sim.ts [--quick]`.
import { pathToFileURL } from "node:url";
import { simulateAA, simulateBandit } from "../lib/stats/simulate";

export interface SimRow {
  measure: string;
  value: string;
  target: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Runs both simulations (about 10 s in full, 1 s with quick) and returns table rows. */
export function experimentsSimulation(options: { quick?: boolean; seed?: number } = {}): {
  rows: SimRow[];
  seconds: number;
} {
  const seed = options.seed ?? 20240610;
  const t = performance.now();
  const aa = simulateAA({
    experiments: options.quick ? 500 : 2000,
    looks: 30,
    subjectsPerLookPerArm: 100,
    rate: 0.1,
    seed,
  });
  const bandit = simulateBandit({
    rates: [0.1, 0.12],
    runs: options.quick ? 20 : 100,
    periods: 20,
    subjectsPerPeriod: 500,
    seed,
  });
  const seconds = (performance.now() - t) / 1000;
  const aaSetup = `${aa.experiments} A/A, ${aa.looks} daily looks, ${aa.subjectsPerArm.toLocaleString("en-US")}/arm, rate 10%`;
  const banditSetup = `10% vs 12%, ${bandit.subjectsPerRun.toLocaleString("en-US")} subjects, 20 reweights`;
  const regret = (x: number) => `${x.toFixed(1)} conversions lost (${pct(x / bandit.fixedSplit.meanRegret)} of 50/50)`;
  return {
    seconds,
    rows: [
      {
        measure: `false-positive rate, sequential (${aaSetup})`,
        value: pct(aa.sequentialFalsePositiveRate),
        target: "≤ 5%",
      },
      {
        measure: "false-positive rate, naive peeking (same experiments)",
        value: pct(aa.naivePeekingFalsePositiveRate),
        target: "— (shows the inflation)",
      },
      {
        measure: "false-positive rate, one fixed test at the end",
        value: pct(aa.fixedOnceFalsePositiveRate),
        target: "≈ 5%",
      },
      {
        measure: `regret, fixed 50/50 (${banditSetup})`,
        value: `${bandit.fixedSplit.meanRegret.toFixed(1)} conversions lost`,
        target: "—",
      },
      {
        measure: "regret, Thompson sampling (5% floor, burn-in 100)",
        value: regret(bandit.thompson.meanRegret),
        target: "< 50/50",
      },
      { measure: "regret, UCB1 (5% floor, burn-in 100)", value: regret(bandit.ucb1.meanRegret), target: "< 50/50" },
      {
        measure: "Thompson: traffic on the better arm / right winner named",
        value: `${pct(bandit.thompson.bestArmShare)} / ${pct(bandit.thompson.correctWinnerRate)} of runs`,
        target: "—",
      },
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { rows, seconds } = experimentsSimulation({ quick: process.argv.includes("--quick") });
  const width = Math.max(...rows.map((r) => r.measure.length));
  for (const r of rows) console.log(`${r.measure.padEnd(width)}  ${r.value.padEnd(40)}  ${r.target}`);
  console.log(`(${seconds.toFixed(1)} s)`);
}
