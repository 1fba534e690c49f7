// The train / held-out split: deterministic for a seed. Items are ordered by a hash of (seed, item key)
// and the first share of them is held out, so the same dataset version and seed always give the same
// split, and an item's side depends on its key (stable across edits), not on its position. Pure.
import { fnv1a32 } from "../stats";

export interface Split<T> {
  train: T[];
  heldOut: T[];
}

/** Each side gets at least this many items; a smaller dataset cannot be split into both. */
export const MIN_PER_SIDE = 2;

export function heldOutCount(total: number, share: number): number {
  return Math.min(total - MIN_PER_SIDE, Math.max(MIN_PER_SIDE, Math.round(total * share)));
}

export function splitItems<T extends { key: string }>(items: readonly T[], seed: number, share: number): Split<T> {
  const ranked = items
    .map((item) => ({ item, rank: fnv1a32(`${seed}:${fnv1a32(`${item.key}:${seed}`)}`) }))
    .sort((a, b) => a.rank - b.rank || (a.item.key < b.item.key ? -1 : 1));
  const n = heldOutCount(items.length, share);
  const held = new Set(ranked.slice(0, n).map((r) => r.item));
  // Each side keeps the dataset's order.
  return { train: items.filter((i) => !held.has(i)), heldOut: items.filter((i) => held.has(i)) };
}
