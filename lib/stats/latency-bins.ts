// Generation latencies as counts in logarithmic bins (version_latency_bins, migration 0040): bin b holds the
// latencies in [1.05^b − 1, 1.05^(b+1) − 1) ms, so the value a bin stands for is within 2.5% of (latency + 1 ms)
// for every latency in it, at any scale from 0 ms to a day (375 bins). Percentiles are read from the counts: their cost grows
// with the bins a range has, never with the number of generations.

const growth = 1.05;
const logGrowth = Math.log(growth);

/** The bin a latency (ms, ≥ 0) falls in. The migration's backfill computes the same in SQL. */
export function latencyBin(ms: number): number {
  return Math.floor(Math.log1p(Math.max(0, ms)) / logGrowth);
}

/** The latency a bin stands for: the geometric middle of its range of latency + 1 ms. */
export function binLatency(bin: number): number {
  return Math.pow(growth, bin + 0.5) - 1;
}

/**
 * The q-quantile (0 < q < 1) of the latencies counted in `bins` (bin → count), as the nearest-rank
 * percentile of the binned values; null with no counts.
 */
export function binnedQuantile(bins: ReadonlyMap<number, number>, q: number): number | null {
  const total = [...bins.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bin of [...bins.keys()].sort((a, b) => a - b)) {
    seen += bins.get(bin)!;
    if (seen >= rank) return binLatency(bin);
  }
  return null;
}
