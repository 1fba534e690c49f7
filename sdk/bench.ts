// SDK warm-path benchmark: getPrompt + render against a cached prompt, per call. Called by the
// benchmark harness (bench/); prints nothing itself.
import { createClient, type Variable } from "./src/index";

export interface BenchSdkOptions {
  baseUrl: string;
  /** A runtime key. */
  apiKey: string;
  /** A prompt live in `environment`. */
  name: string;
  iterations: number;
  environment?: string;
  /** Subjects to pass, in turn (e.g. 1,000 user ids for a prompt under an experiment); default none. */
  subjects?: readonly string[];
  /** Values to render with; by default one is made up for every required variable without a default. */
  variables?: Record<string, unknown>;
}

export interface BenchSdkResult {
  p50Us: number;
  p99Us: number;
  opsPerSec: number;
  iterations: number;
  version: number;
}

const sample: Record<Variable["type"], unknown> = {
  string: "Ada",
  number: 42,
  boolean: true,
  json: { a: [1, 2] },
  image: "https://cdn.example.com/a.png",
};

function valuesFor(variables: readonly Variable[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of variables) if (v.required && v.default === undefined) out[v.name] = sample[v.type];
  return out;
}

const percentile = (sorted: Float64Array, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function benchSdk(opts: BenchSdkOptions): Promise<BenchSdkResult> {
  const iterations = Math.max(1, Math.floor(opts.iterations));
  // A TTL longer than the run, so every call measures the warm path rather than an occasional revalidation.
  const lectern = createClient({
    baseUrl: opts.baseUrl,
    apiKey: opts.apiKey,
    environment: opts.environment,
    cacheTtlMs: 3_600_000,
  });
  try {
    const subjects = opts.subjects?.length ? opts.subjects : undefined;
    let turn = 0;
    const get = () =>
      subjects
        ? lectern.getPrompt(opts.name, { subject: subjects[turn++ % subjects.length]! })
        : lectern.getPrompt(opts.name);
    const first = await get();
    const values = opts.variables ?? valuesFor(first.variables);
    first.render(values);

    // Warm up the JIT on the exact code path being measured.
    for (let i = 0; i < Math.min(iterations, 20_000); i++) (await get()).render(values);

    // Throughput: a tight loop with no per-call clock reads.
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) (await get()).render(values);
    const opsPerSec = iterations / ((performance.now() - t0) / 1000);

    // Latency: each call timed on its own.
    const samples = new Float64Array(iterations);
    for (let i = 0; i < iterations; i++) {
      const start = process.hrtime.bigint();
      (await get()).render(values);
      samples[i] = Number(process.hrtime.bigint() - start) / 1000;
    }
    samples.sort();
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return {
      p50Us: round(percentile(samples, 0.5)),
      p99Us: round(percentile(samples, 0.99)),
      opsPerSec: Math.round(opsPerSec),
      iterations,
      version: first.version,
    };
  } finally {
    await lectern.close();
  }
}
