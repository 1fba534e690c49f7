// The bench's in-process sections: server-side resolve (L1, L2, full miss), full misses against a
// registry of 10 versus 10,000 prompts, and experiment results after a million events.
import type { Database } from "../db/client";
import { createProject } from "../lib/auth/projects";
import type { SharedStore } from "../lib/runtime/shared-store";
import { resultsAtScale } from "./experiments";
import { ms, us, type Report } from "./report";
import { originLoad, serverSide } from "./server-side";
import { bulkRegistry, seedBenchProject, system } from "./setup";

export async function inProcess(
  { results, rows }: Report,
  database: Database,
  store: SharedStore,
  o: { quick: boolean; n: number; withPg: boolean },
) {
  const { quick, n: N, withPg } = o;
  // 1. Server-side resolve time (in process, same code the route runs).
  const project = await seedBenchProject(database, "bench");
  const side = await serverSide(database, store, project.id, N);
  results.serverSide = side;
  rows.push(["server-side resolve, L1 hit", us(side.l1.p50), us(side.l1.p99), "p99 ≤ 50 µs"]);
  if (side.l2) rows.push(["server-side resolve, L2 hit (Redis)", us(side.l2.p50), us(side.l2.p99), "—"]);
  rows.push([
    `server-side resolve, full miss (${withPg ? "PostgreSQL" : "PGlite"})`,
    ms(side.miss.p50 / 1000),
    ms(side.miss.p99 / 1000),
    "p50 ≤ 3 ms (seed: 5–20 ms)",
  ]);

  // 5. Registry size: 10 prompts versus 10,000 prompts × 20 versions, origin reads.
  const small = await createProject(database.db, { slug: "bench-small", name: "small" }, system);
  await bulkRegistry(database, small.id, 10, 20);
  const big = await createProject(database.db, { slug: "bench-big", name: "big" }, system);
  const t = performance.now();
  await bulkRegistry(database, big.id, quick ? 2_000 : 10_000, 20);
  const loadSeconds = (performance.now() - t) / 1000;
  const names = (n: number) => Array.from({ length: n }, (_, i) => `bulk/p${i + 1}`);
  const sSmall = await originLoad(database, small.id, names(10), N);
  const sBig = await originLoad(database, big.id, names(quick ? 2_000 : 10_000), N);
  results.registrySize = { small: sSmall, big: sBig, ratioP50: sBig.p50 / sSmall.p50, bulkLoadSeconds: loadSeconds };
  rows.push(["full miss, 10 prompts × 20 versions", ms(sSmall.p50 / 1000), ms(sSmall.p99 / 1000), "—"]);
  rows.push([
    `full miss, ${quick ? "2,000" : "10,000"} prompts × 20 versions`,
    ms(sBig.p50 / 1000),
    ms(sBig.p99 / 1000),
    `ratio ${(sBig.p50 / sSmall.p50).toFixed(2)}× (target ≤ 1.1×)`,
  ]);

  // Experiments: results read from the aggregates after 1,000,000 events, and the in-process ingest rate.
  const scale = await resultsAtScale(database, { events: quick ? 100_000 : 1_000_000, reads: quick ? 10 : 30 });
  results.experimentResults = scale;
  rows.push([
    `event ingest, in process (batches of 500, ${withPg ? "PostgreSQL" : "PGlite"})`,
    `${Math.round(scale.eventsPerSecond)} events/s`,
    `${scale.events.toLocaleString("en-US")} events`,
    "≥ 10,000 events/s",
  ]);
  rows.push([
    `experiment results, ${scale.events.toLocaleString("en-US")} events`,
    ms(scale.results.p50),
    ms(scale.results.p99),
    "≤ 200 ms",
  ]);
  rows.push([
    "same, as the experiment-decisions job computes the list's call (CUPED on the primary metric only)",
    ms(scale.listResults.p50),
    ms(scale.listResults.p99),
    "—",
  ]);
  if (scale.whatIfCovariates)
    rows.push([
      "CUPED pairs from raw events (`?lookbackDays=` another look-back; not read by the page or the list)",
      ms(scale.whatIfCovariates.p50),
      ms(scale.whatIfCovariates.p99),
      "—",
    ]);
  rows.push(["a view of the experiments list (the stored call)", ms(scale.listView.p50), ms(scale.listView.p99), "—"]);
}
