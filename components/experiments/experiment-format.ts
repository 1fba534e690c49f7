// Numbers of the experiment pages in words people read: rates as percentages, lifts with their
// interval, p-values as quoted, metrics with their unit. Locale-independent (the server renders them).
import { formatCount, formatP } from "@/lib/experiments/number-format";

export { formatCount, formatP };

/** Metric names as people say them; unknown (custom) names are shown as they are. */
const labels: Record<string, string> = {
  thumbs: "Thumbs-up rate",
  rating: "Average rating",
  completed: "Task completion rate",
  latency_ms: "Latency",
  ttft_ms: "Time to first token",
  input_tokens: "Input tokens",
  output_tokens: "Output tokens",
  cost_usd: "Cost",
  refusal: "Refusal rate",
};
export const metricLabel = (name: string) => labels[name] ?? name;

/** 0.1234 → "12.3%"; digits default 1. */
export function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** Relative change with its sign: 0.123 → "+12.3%", -0.05 → "−5.0%", 0 → "0.0%". */
export function signedPercent(x: number, digits = 1): string {
  const s = (Math.abs(x) * 100).toFixed(digits);
  if (Number(s) === 0) return `${(0).toFixed(digits)}%`;
  return `${x > 0 ? "+" : "−"}${s}%`;
}

/** A value of a metric in its unit: rates in %, latency in ms or s, cost in $, tokens rounded. */
export function metricValue(name: string, kind: "binary" | "continuous", x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  if (kind === "binary") return percent(x);
  if (name === "latency_ms" || name === "ttft_ms")
    return x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${formatCount(x)} ms`;
  if (name === "cost_usd") {
    if (x >= 1) return `$${x.toFixed(2)}`;
    if (x >= 0.01) return `$${x.toFixed(3)}`;
    if (x === 0) return "$0";
    // Per-call costs are fractions of a cent: two significant digits, never exponent notation.
    return x < 0.000001 ? "< $0.000001" : `$${Number(x.toPrecision(2))}`;
  }
  if (name === "input_tokens" || name === "output_tokens") return formatCount(x);
  if (name === "rating") return `${x.toFixed(2)} / 5`;
  return Math.abs(x) >= 100 ? formatCount(x) : Number(x.toPrecision(3)).toString();
}

/** A share [start, end) of a namespace: [0.2, 0.5] → "20–50%". */
export function shareRange([s, e]: readonly [number, number]): string {
  return `${Number((s * 100).toFixed(1))}–${Number((e * 100).toFixed(1))}%`;
}

/** "+12.3% (+4.1% to +20.5%)": a lift with its interval. */
export function liftWithInterval(lift: number | null, ci: readonly [number, number] | null): string {
  if (lift === null) return "—";
  return ci ? `${signedPercent(lift)} (${signedPercent(ci[0])} to ${signedPercent(ci[1])})` : signedPercent(lift);
}

/** "+12.3% ± 8.2%": the centre of the interval and its half-width, for compact cells. */
export function plusMinus(ci: readonly [number, number]): string {
  return `${signedPercent((ci[0] + ci[1]) / 2)} ± ${percent((ci[1] - ci[0]) / 2)}`;
}

/** A p-value for a table cell: "0.012", "< 0.001", "—". */
export function pCell(p: number | null | undefined): string {
  if (p === null || p === undefined) return "—";
  return p < 0.001 ? "< 0.001" : String(Number(p.toPrecision(2)));
}

/** Chance to win as people read it: "97%", with "> 99.9%" / "< 0.1%" at the ends. */
export function chance(x: number | null): string {
  if (x === null) return "—";
  if (x > 0.999) return "> 99.9%";
  if (x < 0.001) return "< 0.1%";
  return percent(x, x > 0.99 || x < 0.01 ? 1 : 0);
}

/** Share of the planned sample reached, 0–1 (1 when there is no plan). */
export function progressShare(smallestArm: number, planned: number | null): number {
  if (!planned) return 1;
  return Math.max(0, Math.min(1, smallestArm / planned));
}

export const modeLabel: Record<"fixed" | "sequential" | "bandit", string> = {
  fixed: "Fixed horizon",
  sequential: "Sequential",
  bandit: "Bandit",
};

export const modeHelp: Record<"fixed" | "sequential" | "bandit", string> = {
  fixed: "One look at the end: no result is called before every variant reaches the planned sample.",
  sequential:
    "Look whenever you like: the intervals stay valid at every look, so checking daily does not cause false alarms.",
  bandit: "Shifts traffic towards the variant that is doing best, keeping a minimum share for each.",
};

/** "control" next to the first variant's name, unless its name already says so ("control control"). */
export function controlNote(key: string, index: number): string | null {
  return index === 0 && key.trim().toLowerCase() !== "control" ? "control" : null;
}

/** How long ago a stored call was computed, from its age in seconds: "just now", "3 min ago", "2 h ago", "4 days ago". */
export function callAge(seconds: number): string {
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86_400);
  return `${days} day${days === 1 ? "" : "s"} ago`;
}
