// The time bins of "Lift over time" (lift-timeline.ts): widths that fit the span of the data, aligned to the
// clock. No statistics here, so the chart's client components may import it. Pure.
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The widths a bin may have, smallest first. */
export const binWidths = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
] as const;

/** At most this many points on the chart. */
export const maxBins = 60;

/**
 * The bin width for data from `first` to `last` (ms): the smallest width, at least `minWidth` (an hour when only
 * hourly aggregates were read), whose clock-aligned bins over the span number at most `maxBins`.
 */
export function binWidth(first: number, last: number, minWidth: number = MINUTE): number {
  const fits = (w: number) => Math.floor(last / w) - Math.floor(first / w) + 1 <= maxBins;
  return binWidths.find((w) => w >= minWidth && fits(w)) ?? binWidths.at(-1)!;
}

/** The end of the bin that holds `at`: aligned to the clock (UTC), so the label is a fixed point in time. */
export const binEnd = (at: number, width: number) => Math.floor(at / width) * width + width;

/** The bin in words, for a caption: "minute by minute", "every 5 minutes", "hour by hour", "every 6 hours". */
export function binWords(width: number): string {
  const [unit, size] =
    width % DAY === 0
      ? (["day", width / DAY] as const)
      : width % HOUR === 0
        ? (["hour", width / HOUR] as const)
        : (["minute", width / MINUTE] as const);
  return size === 1 ? `${unit} by ${unit}` : `every ${size} ${unit}s`;
}
