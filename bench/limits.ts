// What the runtime limits (docs/security.md) cost on the runtime paths, measured in the same run as the rest: the
// ingest budget check (two token buckets per POST /api/v1/events, lib/runtime/rate-limit.ts) timed per
// call over many keys, to set beside the batch latency the ingest row measures. The connection caps
// run once per accepted connection, never per request, and resolve's L1 hit runs no limit code at all.
// (bench/limits-cost.ts compares whole builds, before and after, when two checkouts are at hand.)
import { KeyBudget } from "../lib/runtime/rate-limit";

export function ingestBudgetCost(calls = 1_000_000, keys = 1_000): { nsPerRequest: number; calls: number } {
  const requests = new KeyBudget(600);
  const bytes = new KeyBudget(32 * 1024 * 1024);
  const names = Array.from({ length: keys }, (_, i) => `lk_bench_${i}`);
  // Warm up the buckets and the JIT, then time what one ingest request does: one take from each budget.
  for (let i = 0; i < 50_000; i++) requests.take(names[i % keys]!, 0) + bytes.take(names[i % keys]!, 0);
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < calls; i++) {
    const key = names[i % keys]!;
    sink += requests.take(key, 0) + bytes.take(key, 0);
  }
  const ns = Number(process.hrtime.bigint() - start) / calls;
  if (sink < 0) console.log(sink); // keeps the loop from being optimised away
  return { nsPerRequest: ns, calls };
}
