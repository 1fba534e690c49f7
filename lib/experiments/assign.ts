// Sticky assignment of a subject to a variant: GrowthBook hash v2 of (seed, subject) against cumulative
// weight ranges × coverage. It runs on every resolve hit and in the SDK, so it imports nothing (no node:
// modules, no stdlib) and the compiled form allocates nothing per call.
import { bucketRanges } from "../stats/hash";

/** The part of an experiment the resolve path and the SDK need to assign a subject. */
export interface AssignmentDefinition {
  /** Hash seed of the current phase; a new phase (new weights) gets a new seed. */
  seed: string;
  /** Share of subjects in the experiment, 0–1 (clamped). Subjects outside it get the control and no exposure. */
  coverage: number;
  /** variants[0] is the control. Weights should sum to 1; otherwise equal weights are used (GrowthBook rule). */
  variants: readonly { key: string; weight: number }[];
  /**
   * Mutually exclusive experiments: only subjects whose namespace hash falls in [range[0], range[1]) take
   * part; the others get the control and no exposure, as outside coverage. Running experiments of one
   * namespace own disjoint ranges (lib/experiments/namespaces.ts), so a subject is in at most one of them.
   */
  namespace?: Namespace | null;
}

/** A namespace (layer) and the share of its hash space one experiment owns, [start, end). */
export interface Namespace {
  name: string;
  range: readonly [number, number];
}

/** The assigned variant: its position in `variants` and its key. */
export interface Assignment {
  readonly index: number;
  readonly key: string;
}

/** A compiled assignment: subject → variant, or null outside coverage or the namespace range (or for an empty subject). */
export type AssignFn = (subject: string) => Assignment | null;

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const digits = new Uint8Array(10); // an unsigned 32-bit integer has at most 10 decimal digits

/**
 * hash(seed, subject, 2) without building `seed + subject` or `String(h)`: the FNV state after the seed
 * is precomputed, and the second pass walks the decimal digits of the first hash. Same value as
 * `hash(seed, subject, 2)` from ./hash (checked by the tests).
 */
function hashV2From(seedState: number, subject: string): number {
  let h = seedState;
  for (let i = 0; i < subject.length; i++) h = Math.imul(h ^ subject.charCodeAt(i), FNV_PRIME);
  let first = h >>> 0;
  let len = 0;
  do {
    digits[len++] = first % 10;
    first = Math.floor(first / 10);
  } while (first > 0);
  let h2 = FNV_OFFSET_BASIS;
  while (len > 0) h2 = Math.imul(h2 ^ (48 + digits[--len]!), FNV_PRIME);
  return ((h2 >>> 0) % 10000) / 10000;
}

/** An experiment's namespace as its row keeps it (three columns; no name, no namespace). */
export type NamespaceColumns = {
  namespace: string | null;
  namespace_start: number | null;
  namespace_end: number | null;
};
export const namespaceOfRow = (r: NamespaceColumns): Namespace | null =>
  r.namespace === null ? null : { name: r.namespace, range: [Number(r.namespace_start), Number(r.namespace_end)] };

/**
 * GrowthBook's inNamespace: hash("__" + name, subject, 1) = fnv1a32(subject + "__" + name) % 1000 / 1000, in
 * [start, end). Computed without building the string (same value as ./hash, checked by the tests).
 */
export function inNamespace(subject: string, ns: Namespace): boolean {
  let h = FNV_OFFSET_BASIS;
  for (let i = 0; i < subject.length; i++) h = Math.imul(h ^ subject.charCodeAt(i), FNV_PRIME);
  h = Math.imul(h ^ 95, FNV_PRIME); // "_"
  h = Math.imul(h ^ 95, FNV_PRIME);
  for (let i = 0; i < ns.name.length; i++) h = Math.imul(h ^ ns.name.charCodeAt(i), FNV_PRIME);
  const n = ((h >>> 0) % 1000) / 1000;
  return n >= ns.range[0] && n < ns.range[1];
}

/** FNV-1a state after consuming `seed`, before the final unsigned conversion. */
function seedState(seed: string): number {
  let h = FNV_OFFSET_BASIS;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Precomputes the ranges and the seed's hash state of `def` and returns a fast, allocation-free
 * `(subject) => Assignment | null`. The returned Assignment objects are shared and frozen: do not mutate.
 * Compile once per cached experiment definition, call per request.
 */
export function compileAssignment(def: AssignmentDefinition): AssignFn {
  const n = def.variants.length;
  const ranges = bucketRanges(
    n,
    def.coverage,
    def.variants.map((v) => v.weight),
  );
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  ranges.forEach(([s, e], i) => {
    starts[i] = s;
    ends[i] = e;
  });
  const results: Assignment[] = def.variants.map((v, index) => Object.freeze({ index, key: v.key }));
  const state = seedState(def.seed);
  const ns = def.namespace ?? null;
  return (subject: string) => {
    if (subject.length === 0) return null;
    if (ns && !inNamespace(subject, ns)) return null;
    const x = hashV2From(state, subject);
    for (let i = 0; i < n; i++) if (x >= starts[i]! && x < ends[i]!) return results[i]!;
    return null;
  };
}

/**
 * One-off assignment of `subject` under `def`: { index, key } of the variant, or null when the subject
 * falls outside coverage or the namespace range, is empty, or there are no variants. Prefer compileAssignment on hot paths.
 */
export function assign(def: AssignmentDefinition, subject: string): Assignment | null {
  return compileAssignment(def)(subject);
}
