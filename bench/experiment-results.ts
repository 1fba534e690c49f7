// Experiment results alone (the in-process row of `npm run bench`, at a size of your choice): how long the
// experiment's page, the experiments list's call (CUPED on the primary metric, computed by the
// experiment-decisions job) and its per-subject part take, and a view of the list (reading the stored call).
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
  console.log(`ingest: ${Math.round(r.eventsPerSecond).toLocaleString("en-US")} events/s`);
  console.log(`page (CUPED, 2 guardrails, a ratio): ${f(r.results)}`);
  console.log(`list's call (CUPED, primary metric):  ${f(r.listResults)}`);
  if (r.whatIfCovariates) console.log(`CUPED pairs from raw events (what-if look-back): ${f(r.whatIfCovariates)}`);
  console.log(`list view (the stored call):          ${f(r.listView)}`);
  await database.close();
}
void main();
