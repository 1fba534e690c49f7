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
  const hi = Math.max(0, ...values);
  const range = hi - lo || 1;
  const raw = range / max;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10, 20].map((m) => m * mag).find((s) => Math.ceil(hi / s) - Math.floor(lo / s) <= max)!;
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = start; t <= end + step / 1000; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return { domain: [start, end], ticks };
}
