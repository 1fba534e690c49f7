// Percentiles over recorded samples (microseconds or milliseconds, whatever the caller records).
export function summarize(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  return { n: s.length, p50: at(0.5), p99: at(0.99), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

/** Times `fn` `iterations` times after `warmup` calls; returns per-call samples in microseconds. */
export async function timeAsync(fn: () => Promise<unknown>, iterations: number, warmup = 200): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out = new Array<number>(iterations);
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    await fn();
    out[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  return out;
}
