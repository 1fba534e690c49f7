// GrowthBook-compatible hashing and bucketing (docs.growthbook.io/lib/build-your-own), so a subject lands
// in the same arm on every instance and in the SDK. No imports: the SDK bundles this file for browsers
// and edge runtimes.

/** A half-open interval [start, end) of the unit interval owned by one variation. */
export type BucketRange = readonly [start: number, end: number];

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a, 32 bits, over the string's UTF-16 code units (what GrowthBook's SDKs hash, so non-ASCII ids
 * agree with theirs). Returns an unsigned 32-bit integer.
 */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    // Math.imul keeps the product in 32 bits; a plain `*` would lose low bits beyond 2^53.
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * GrowthBook's hash of (seed, value) into [0, 1).
 * - version 2 (use this): fnv1a32(String(fnv1a32(seed + value))) % 10000 / 10000 — the double hash
 *   removes the bias v1 showed between experiments sharing a prefix.
 * - version 1 (legacy, kept for the vectors): fnv1a32(value + seed) % 1000 / 1000.
 * Any other version → null, so a definition from a newer server is refused instead of misassigned.
 */
export function hash(seed: string, value: string, version: number): number | null {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return null;
}

/** `n` equal weights summing to 1; [] when n ≤ 0. */
export function equalWeights(n: number): number[] {
  if (!(n > 0)) return [];
  return new Array<number>(n).fill(1 / n);
}

/**
 * Bucket ranges exactly as GrowthBook's getBucketRanges: variation i owns
 * [cumW_i, cumW_i + coverage·w_i), where cumW_i is the sum of the weights before i.
 * Because each range starts at the cumulative weight (not at the cumulative covered width), raising
 * coverage only adds subjects; nobody already in the experiment switches arm.
 * - coverage is clamped to [0, 1];
 * - weights that are missing, of the wrong length, or whose sum is outside [0.99, 1.01] fall back to
 *   equal weights (GrowthBook's tolerance, so 0.4 + 0.5999 is accepted as given).
 */
export function bucketRanges(numVariations: number, coverage = 1, weights?: readonly number[] | null): BucketRange[] {
  const c = coverage < 0 ? 0 : coverage > 1 ? 1 : coverage;
  let w: readonly number[] = weights && weights.length === numVariations ? weights : equalWeights(numVariations);
  let total = 0;
  for (const x of w) total += x;
  if (total < 0.99 || total > 1.01) w = equalWeights(numVariations);
  let cumulative = 0;
  return w.map((x) => {
    const start = cumulative;
    cumulative += x;
    return [start, start + c * x] as const;
  });
}

/** Index of the range containing n (start inclusive, end exclusive), or -1 when none does. */
export function chooseVariation(n: number, ranges: readonly BucketRange[]): number {
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (n >= r[0] && n < r[1]) return i;
  }
  return -1;
}
