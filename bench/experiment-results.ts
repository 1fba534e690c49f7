// Experiment results alone (the in-process row of `npm run bench`, at a size of your choice): how long the
// experiment's page, the experiments list and the list's per-subject part (CUPED on the primary metric) take.
// `npx tsx bench/experiment-results.ts [events, default 20000] [postgres://… of an empty database; default PGlite]`
import { resultsAtScale } from "./experiments";
import { openMigrated } from "./setup";

async function main() {
  const events = Number(process.argv[2] ?? 20_000);
  const url = process.argv[3];
  const database = await openMigrated(url);
  const r = await resultsAtScale(database, { events, reads: 5 });
  const f = (s: { p50: number; max: number }) => `p50 ${s.p50.toFixed(0)} ms, max ${s.max.toFixed(0)} ms`;
  console.log(`${events.toLocaleString("en-US")} events (${events / 2} subjects) on ${url ? "PostgreSQL" : "PGlite"}`);
  console.log(`page (CUPED on every metric, ratios): ${f(r.results)}`);
  console.log(`list (CUPED on the primary metric):   ${f(r.listResults)}`);
  console.log(`  of which the CUPED pairs:           ${f(r.listCovariates)}`);
  await database.close();
}
void main();
