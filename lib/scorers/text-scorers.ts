// Deterministic text scorers: exact_match, contains / not_contains, regex, length, levenshtein.
// All pure and synchronous.
import { LRUCache } from "lru-cache";
import type { UserRegex } from "../user-regex";
import { checkPattern } from "./regex-safety";
import type { SpecOf } from "./spec";
import { clamp01, errorResult, quote, type ScoreResult, type ScoringContext } from "./types";

export interface Normalization {
  trim: boolean;
  ignoreCase: boolean;
  collapseWhitespace: boolean;
}

export function normalize(text: string, n: Normalization): string {
  let t = text.normalize("NFC");
  if (n.collapseWhitespace) t = t.replace(/\s+/g, " ");
  if (n.trim) t = t.trim();
  if (n.ignoreCase) t = t.toLowerCase();
  return t;
}

/** The reference text: the spec's value, else the item's expected (JSON values as their JSON text). */
function referenceText(value: unknown, ctx: ScoringContext): string | undefined {
  const ref = value !== undefined ? value : ctx.expected;
  if (ref === undefined) return undefined;
  return typeof ref === "string" ? ref : JSON.stringify(ref);
}

const missingReference = (type: string) =>
  errorResult(`${type} needs the item's expected output, or a value in the scorer spec`);

// Deep equality of JSON values, key order ignored.
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Output equals the reference after normalisation. A reference that is a JSON object or array is
 * compared as JSON (key order and formatting ignored) with the parsed output.
 */
export function scoreExactMatch(spec: SpecOf<"exact_match">, ctx: ScoringContext): ScoreResult {
  const ref = spec.value !== undefined ? spec.value : ctx.expected;
  if (ref === undefined) return missingReference("exact_match");
  if (typeof ref === "object" && ref !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ctx.output);
    } catch {
      return { score: 0, reason: "output is not JSON, but the expected value is a JSON object or array" };
    }
    return jsonEqual(parsed, ref)
      ? { score: 1, reason: "output equals the expected JSON value" }
      : { score: 0, reason: `output is JSON but differs from the expected value ${quote(JSON.stringify(ref))}` };
  }
  const expected = normalize(typeof ref === "string" ? ref : JSON.stringify(ref), spec);
  const actual = normalize(ctx.output, spec);
  if (actual === expected) return { score: 1, reason: "output equals the expected text" };
  const at = firstDifference(actual, expected);
  const from = Math.max(0, at - 10);
  const excerpt = (t: string) => quote(`${from > 0 ? "…" : ""}${t.slice(from, at + 30)}`);
  return {
    score: 0,
    reason: `output differs from the expected text at character ${at + 1}: expected ${excerpt(expected)}, got ${excerpt(actual)}`,
  };
}

/**
 * contains: passes when the output contains all the values (mode "all", the default) or any of them
 * (mode "any"). not_contains is its negation: by default it fails when any value appears.
 */
export function scoreContains(spec: SpecOf<"contains"> | SpecOf<"not_contains">, ctx: ScoringContext): ScoreResult {
  const raw = spec.value ?? (typeof ctx.expected === "string" ? ctx.expected : undefined);
  if (raw === undefined) return missingReference(spec.type);
  const needles = Array.isArray(raw) ? raw : [raw];
  const mode = spec.mode ?? (spec.type === "contains" ? "all" : "any");
  const fold = (s: string) => (spec.ignoreCase ? s.toLowerCase() : s);
  const hay = fold(ctx.output);
  const found = needles.filter((n) => hay.includes(fold(n)));
  const missing = needles.filter((n) => !found.includes(n));
  const list = (xs: string[]) => xs.map((x) => quote(x, 40)).join(", ");
  const hit = mode === "all" ? missing.length === 0 : found.length > 0;
  if (spec.type === "contains") {
    if (hit) return { score: 1, reason: `output contains ${list(found)}` };
    return mode === "all"
      ? { score: 0, reason: `output lacks ${list(missing)} (found ${found.length} of ${needles.length})` }
      : { score: 0, reason: `output contains none of ${list(needles)}` };
  }
  if (!hit) {
    return mode === "any"
      ? { score: 1, reason: `output contains none of ${list(needles)}` }
      : { score: 1, reason: `output lacks ${list(missing)}, so not all values appear` };
  }
  return {
    score: 0,
    reason: mode === "any" ? `output contains ${list(found)}` : `output contains all of ${list(needles)}`,
  };
}

/** Outputs longer than this are cut before regex matching (matching is linear, but not free). */
export const maxRegexInput = 100_000;

// Compiled once per pattern (a run scores thousands of outputs with the same spec); bounded.
const compiled = new LRUCache<string, UserRegex>({ max: 500 });

export function scoreRegex(spec: SpecOf<"regex">, ctx: ScoringContext): ScoreResult {
  // The linear-time engine (lib/user-regex.ts): a user's pattern cannot stall the process.
  const key = `${spec.flags}/${spec.pattern}`;
  let re = compiled.get(key);
  if (!re) {
    const c = checkPattern(spec.pattern, spec.flags);
    if (!c.ok) return { score: 0, reason: c.message };
    compiled.set(key, (re = c.regex));
  }
  const hit = re.exec(ctx.output.slice(0, maxRegexInput));
  const m = hit ? ([hit.match] as [string]) : null;
  const shown = `/${spec.pattern.length > 60 ? `${spec.pattern.slice(0, 59)}…` : spec.pattern}/${spec.flags}`;
  if (spec.negate) {
    return m
      ? { score: 0, reason: `output matches ${shown} at ${quote(m[0], 40)}, which it must not` }
      : { score: 1, reason: `output does not match ${shown}` };
  }
  return m
    ? { score: 1, reason: `output matches ${shown} at ${quote(m[0], 40)}` }
    : { score: 0, reason: `output does not match ${shown}` };
}

export const countWords = (text: string) => text.split(/\s+/).filter((w) => w !== "").length;
export const countChars = (text: string) => [...text].length;

export function scoreLength(spec: SpecOf<"length">, ctx: ScoringContext): ScoreResult {
  const n = spec.unit === "words" ? countWords(ctx.output) : countChars(ctx.output);
  const unit = spec.unit === "words" ? (n === 1 ? "word" : "words") : n === 1 ? "character" : "characters";
  if (spec.min !== undefined && n < spec.min)
    return { score: 0, reason: `${n} ${unit}, below the minimum of ${spec.min}` };
  if (spec.max !== undefined && n > spec.max)
    return { score: 0, reason: `${n} ${unit}, above the maximum of ${spec.max}` };
  const bounds =
    spec.min !== undefined && spec.max !== undefined
      ? `${spec.min}–${spec.max}`
      : spec.min !== undefined
        ? `≥ ${spec.min}`
        : `≤ ${spec.max}`;
  return { score: 1, reason: `${n} ${unit}, within ${bounds}` };
}

/** Beyond this many cells (length × length) levenshtein refuses to compare rather than block the process. */
export const maxLevenshteinCells = 25_000_000;

/**
 * Edit distance (insertions, deletions, substitutions of one code point each), two-row dynamic
 * programming: O(|a|·|b|) time, O(min) memory.
 */
export function levenshteinDistance(a: string, b: string): number {
  let s = [...a];
  let t = [...b];
  if (s.length < t.length) [s, t] = [t, s];
  if (t.length === 0) return s.length;
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  let cur = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length]!;
}

/** 1 − distance / longer length, as autoevals' Levenshtein; two empty strings are identical (1). */
export function levenshteinSimilarity(a: string, b: string): number {
  const longest = Math.max(countChars(a), countChars(b));
  return longest === 0 ? 1 : clamp01(1 - levenshteinDistance(a, b) / longest);
}

export function scoreLevenshtein(spec: SpecOf<"levenshtein">, ctx: ScoringContext): ScoreResult {
  const ref = referenceText(spec.value, ctx);
  if (ref === undefined) return missingReference("levenshtein");
  const a = normalize(ctx.output, spec);
  const b = normalize(ref, spec);
  if (countChars(a) * countChars(b) > maxLevenshteinCells) {
    return errorResult(
      `levenshtein cannot compare texts this long (${countChars(a)} × ${countChars(b)} characters; limit ${maxLevenshteinCells} cells)`,
    );
  }
  const d = levenshteinDistance(a, b);
  const longest = Math.max(countChars(a), countChars(b));
  const score = longest === 0 ? 1 : clamp01(1 - d / longest);
  return {
    score,
    reason: `${d} edit${d === 1 ? "" : "s"} away from the expected text (similarity ${score.toFixed(3)})`,
  };
}
