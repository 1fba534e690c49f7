// Shared by the charts: one colour per series (control or oldest first), time ticks and y ticks.
export const seriesColors = [
  "#475569",
  "#2f5bd3",
  "#b45309",
  "#7c3aed",
  "#0f766e",
  "#be123c",
  "#4d7c0f",
  "#0369a1",
  "#a16207",
  "#6d28d9",
];

const pad = (n: number) => String(n).padStart(2, "0");
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "14:00" within a day, "3 Mar 14:00" across days (local time: charts render in the browser only). */
export function timeTick(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return spanMs > 86_400_000 ? `${d.getDate()} ${months[d.getMonth()]} ${hm}` : hm;
}

export const fullTime = (ms: number) => timeTick(ms, Infinity);

/**
 * A y-axis that always shows 0 (the "no difference" line) among round ticks: the step is the
 * smallest of 1, 2, 2.5, 5 × 10ⁿ whose rounded-out domain has at most `max` intervals.
 */
export function zeroTicks(values: number[], max = 6): { domain: [number, number]; ticks: number[] } {
  const lo = Math.min(0, ...values);
  // All zeros (or no values): still an axis from 0 to 1, not a single line.
  const hi = Math.max(0, ...values) || (lo === 0 ? 1 : 0);
  const range = hi - lo;
  const raw = range / max;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10, 20].map((m) => m * mag).find((s) => Math.ceil(hi / s) - Math.floor(lo / s) <= max)!;
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = start; t <= end + step / 1000; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return { domain: [start, end], ticks };
}

/** An estimate with its interval at one point in time, and how many subjects it rests on. */
export type IntervalPoint = { estimate: number | null; lo: number | null; hi: number | null; subjects: number };

export type FitOptions = {
  /** Intervals of points resting on fewer subjects than this are too wide to size the axis by. */
  minSubjects?: number;
  /** The first share of each series' points is left out of the fit too (the intervals start wide). */
  skipShare?: number;
  /** At most this many tick intervals. */
  maxTicks?: number;
};

/**
 * A y-axis fitted to the data rather than to the first, widest intervals: every estimate and 0 are
 * always inside; interval bounds count only once they are settled (past the first `skipShare` of the
 * series and resting on at least `minSubjects`). A series with no settled point counts its last
 * interval, so the latest band is whole. Bands reaching outside the domain are drawn to the edge.
 */
export function fitIntervalDomain(
  series: IntervalPoint[][],
  { minSubjects = 100, skipShare = 0.25, maxTicks = 6 }: FitOptions = {},
): { domain: [number, number]; ticks: number[] } {
  const values: number[] = [];
  for (const points of series) {
    const withBand = points.filter((p) => p.lo !== null && p.hi !== null);
    const skip = Math.floor(withBand.length * skipShare);
    const settled = withBand.filter((p, i) => i >= skip && p.subjects >= minSubjects);
    const counted = settled.length ? settled : withBand.slice(-1);
    for (const p of counted) values.push(p.lo!, p.hi!);
    for (const p of points) if (p.estimate !== null) values.push(p.estimate);
  }
  return zeroTicks(values.filter(Number.isFinite), maxTicks);
}

/** A band cut to the axis: what to draw, and whether either end was cut (it then reaches the edge). */
export function clampBand(
  band: [number, number],
  domain: [number, number],
): { band: [number, number]; clipped: boolean } {
  const lo = Math.max(domain[0], band[0]);
  const hi = Math.min(domain[1], band[1]);
  return { band: [Math.min(lo, domain[1]), Math.max(hi, domain[0])], clipped: lo !== band[0] || hi !== band[1] };
}
