// The lift chart's data: one point per bin of the experiment's timeline (lib/experiments/analysis/lift-timeline.ts).
export type LiftEstimate = { lift: number | null; ci: [number, number] | null };
export type LiftPoint = {
  /** The end of the bin (ISO 8601): a fixed point in time. */
  at: string;
  /** The deciding estimate (CUPED-adjusted where it applies, `adjusted`), and the unadjusted one (`raw`). */
  lift: Record<string, LiftEstimate & { adjusted?: boolean; raw?: LiftEstimate }>;
  /** Subjects per arm so far (cumulative), the control's included. */
  subjects: Record<string, number>;
};
export type LiftSeries = { key: string };
