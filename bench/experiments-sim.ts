// Benchmark rows for the decision statistics: A/A false-positive rate of the always-valid confidence
// sequence vs naive daily peeking, bandit regret vs a fixed 50/50 split, CUPED's interval width and A/A
// rate with a covariate correlated ρ = 0.7, and the power of a paired run comparison vs an unpaired one, and guarded rollouts
// against a one-step release with automatic rollback. Seeded, so the numbers are the same on every machine; only the time
// varies. Standalone: `npx tsx bench/experiments-sim.ts [--quick] [--only cuped|rollouts]`.
import { pathToFileURL } from "node:url";
import { simulateRollouts } from "../lib/experiments/rollouts/rollout-simulate";
import { simulateAA, simulateBandit } from "../lib/stats/simulate";
import { simulateCoverage } from "../lib/stats/simulate-coverage";
import { simulateCuped, simulatePairedPower } from "../lib/stats/simulate-decisions";

export interface SimRow {
  measure: string;
  value: string;
  target: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Runs the simulations (about 15 s in full, 3 s with quick; the rollouts take 9 s and 1 s) and returns table rows. */
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
  const cuped = cupedSimulation(options.quick, seed);
  const paired = simulatePairedPower({ simulations: options.quick ? 200 : 2000, seed });
  const coverage = simulateCoverage({ seed, simulations: options.quick ? 200 : 2000 });
  const rollouts = simulateRollouts({ quick: options.quick, seed });
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
      ...cupedRows(cuped),
      {
        measure: `run comparison: power, paired t (${paired.items} items, +${paired.effect * 100} points, ${paired.simulations} sims)`,
        value: pct(paired.pairedPower),
        target: "≈ 78% (noncentral t)",
      },
      {
        measure: "run comparison: power, unpaired Welch on the same runs",
        value: pct(paired.unpairedPower),
        target: "— (item spread drowns it)",
      },
      {
        measure: "run comparison: paired false-positive rate, no difference",
        value: pct(paired.pairedFalsePositiveRate),
        target: "≈ 5%",
      },
      ...coverage.map((r) => ({
        measure: `interval coverage, ${r.kind} (${r.design}, ${r.simulations} sims)`,
        value: `${pct(r.coverage)}${r.worstLook === undefined ? "" : " at every look at once"}; ${r.outOfRange} out of range`,
        target: r.kind === "sequential" ? "≥ 93.5%, 0 out of range" : "95% ± 1.5, 0 out of range",
      })),
      ...rolloutRows(rollouts),
    ],
  };
}

/** CUPED's seeded simulation: interval width ratio at ρ = 0.7 and the A/A rate under daily looks. */
const cupedSimulation = (quick: boolean | undefined, seed: number) =>
  simulateCuped({ aaExperiments: quick ? 50 : 200, seed });

function cupedRows(cuped: ReturnType<typeof simulateCuped>): SimRow[] {
  return [
    {
      measure: `CUPED: adjusted / unadjusted CI width (ρ = ${cuped.rho}, 2,000/arm, mean of 10)`,
      value: cuped.widthRatio.toFixed(3),
      target: `≈ √(1 − ρ²) = ${cuped.expectedWidthRatio.toFixed(3)}`,
    },
    {
      measure: `CUPED: A/A false-positive rate, sequential, ${cuped.days} daily looks (${cuped.aaExperiments} A/A)`,
      value: pct(cuped.sequentialFalsePositiveRate),
      target: "≤ 5%",
    },
    {
      measure: "CUPED: same, fixed-horizon p-value peeked at daily",
      value: pct(cuped.naivePeekingFalsePositiveRate),
      target: "— (shows the inflation)",
    },
  ];
}

/** Only the CUPED rows (`--only cuped`), for a dated record of just those. */
export function cupedSimulationRows(options: { quick?: boolean; seed?: number } = {}) {
  const t = performance.now();
  const rows = cupedRows(cupedSimulation(options.quick, options.seed ?? 20240610));
  return { rows, seconds: (performance.now() - t) / 1000 };
}

const count = (x: number) => x.toLocaleString("en-US");

/** Guarded rollouts (lib/experiments/rollouts/rollout-simulate.ts): A/A false rollbacks and time to 100 %, then per regression. */
function rolloutRows(r: ReturnType<typeof simulateRollouts>): SimRow[] {
  const steps = r.steps.slice(0, -1);
  const perStep = (counts: number[]) => steps.map((_, i) => count(counts[i] ?? 0)).join(" / ");
  const stepNames = steps.map((s) => `${s.percent}%`).join(" / ");
  const setup = `${count(r.runs)} runs, ${r.trafficPerMinute}/min, errors ${pct(r.errorRate)}${r.latency ? " + latency" : ""}, steps ${stepNames} × ${steps[0]!.minMinutes} min`;
  const spread = (s: { median: number; p95: number }) => `${count(s.median)} / ${count(s.p95)}`;
  const spread3 = (s: { median: number; mean: number; p95: number }) =>
    `${count(s.median)} / ${count(s.mean)} / ${count(s.p95)}`;
  return [
    {
      measure: `rollout A/A (all steps pooled): rolled back (${setup})`,
      value: pct(r.aa.rolledBack),
      target: "≤ 5%",
    },
    { measure: "rollout A/A: reached 100 %", value: pct(r.aa.completed), target: "the rest" },
    {
      measure: `rollout A/A: false rollbacks at step ${stepNames}`,
      value: perStep(r.aa.rollbackAtStep),
      target: "—",
    },
    {
      measure: "rollout A/A: minutes to 100 %, median / p95",
      value: spread(r.aa.minutesToFull),
      target: `≥ ${r.plannedMinutes} (the steps' minimum)`,
    },
    {
      measure: `one-step release A/A: rolled back within ${r.horizonMinutes} min (same test, ${r.baselineMinutes} min before as control)`,
      value: pct(r.aa.oneStepRolledBack),
      target: "≤ 5%",
    },
    ...r.regressions.flatMap((x) => {
      const name = `errors ${pct(r.errorRate)} → ${pct(x.errorRate)}`;
      const better = x.rollout.badSubjects.mean < x.oneStep.badSubjects.mean;
      return [
        {
          measure: `rollout, ${name}: rolled back; at step ${stepNames}`,
          value: `${pct(x.rollout.rolledBack)}; ${perStep(x.rollout.rollbackAtStep)}`,
          target: "—",
        },
        {
          measure: `${name}: minutes to the rollback, median: rollout / one step`,
          value: `${x.rollout.minutesToRollback.median} / ${x.oneStep.minutesToRollback.median}`,
          target: "—",
        },
        {
          measure: `${name}: subjects on the bad version, rollout, median / mean / p95`,
          value: spread3(x.rollout.badSubjects),
          target: better ? "mean < one step's" : "— (one step does better on average)",
        },
        {
          measure: `${name}: same, one-step release + automatic rollback, median / mean / p95`,
          value: spread3(x.oneStep.badSubjects),
          target: "—",
        },
        {
          measure: `${name}: never detected within ${r.horizonMinutes} min: rollout / one step`,
          value: `${count(x.rollout.neverDetected)} / ${count(x.oneStep.neverDetected)} of ${count(r.runs)}`,
          target: "—",
        },
      ];
    }),
  ];
}

/** Only the rollout rows (`--only rollouts`). */
export function rolloutSimulationRows(options: { quick?: boolean; seed?: number } = {}) {
  const t = performance.now();
  const rows = rolloutRows(simulateRollouts({ quick: options.quick, seed: options.seed ?? 20240610 }));
  return { rows, seconds: (performance.now() - t) / 1000 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes("--quick");
  const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
  if (only !== undefined && only !== "cuped" && only !== "rollouts")
    throw new Error(`--only takes "cuped" or "rollouts", not ${only}`);
  const { rows, seconds } =
    only === "cuped"
      ? cupedSimulationRows({ quick })
      : only === "rollouts"
        ? rolloutSimulationRows({ quick })
        : experimentsSimulation({ quick });
  const width = Math.max(...rows.map((r) => r.measure.length));
  for (const r of rows) console.log(`${r.measure.padEnd(width)}  ${r.value.padEnd(40)}  ${r.target}`);
  console.log(`(${seconds.toFixed(1)} s)`);
}
