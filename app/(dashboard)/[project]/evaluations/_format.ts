import type { BadgeTone } from "@/components/ui/badge";
import type { RunDto } from "@/lib/evaluation/runs";

// Shared by the server pages and the live progress component (a plain module: a "use client" file's
// exports cannot be called from server components).
export type RunStatus = "queued" | "running" | "completed" | "unscored" | "failed" | "cancelled";
export const statusTone: Record<RunStatus, BadgeTone> = {
  queued: "gray",
  running: "blue",
  completed: "green",
  unscored: "red",
  failed: "red",
  cancelled: "amber",
};
/** A status in words ("could not score": finished, but a scorer scored no answer, so the run has no verdict). */
export const statusLabel: Record<RunStatus, string> = {
  queued: "queued",
  running: "running",
  completed: "completed",
  unscored: "could not score",
  failed: "failed",
  cancelled: "cancelled",
};
export const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
/** "[64.1, 80.9]": a run score's 95% interval (t over items, clipped to 0–100%) in points; null without one. */
export const scoreInterval = (ci: readonly [number, number] | null | undefined) =>
  ci ? `[${(ci[0] * 100).toFixed(1)}, ${(ci[1] * 100).toFixed(1)}]` : null;
export const usd = (x: number) => (x === 0 ? "$0" : x < 0.01 ? `$${x.toPrecision(2)}` : `$${x.toFixed(4)}`);

/**
 * "1 of 4 answers could not be scored: counted as failures": a scorer's error counts as a failed answer in the
 * run's score (such a run never passes a gate: lib/release/gates/gate-evidence.ts). Null when none errored or before the
 * run finished.
 */
export const erroredNote = (s: { errored: number; items: number } | null | undefined) =>
  s && s.errored > 0 ? `${s.errored} of ${s.items} answers could not be scored: counted as failures` : null;

/** What the live progress shows of a run. */
export type Progress = {
  status: RunStatus;
  progress: { done: number; total: number };
  score: number | null;
  passRate: number | null;
  scores: Record<string, number | null>;
  costUsd: number;
  tokens: { input: number; output: number };
  error: string | null;
  cancelRequested: boolean;
  /** Answers that errored, of all (item × repetition), once the run finished. */
  errored: { errored: number; items: number } | null;
};

/** The progress of a run as GET /api/v1/eval-runs/{id} answers it (the page's first render and each poll). */
export const progressOf = (run: RunDto): Progress => ({
  status: run.status,
  progress: run.progress,
  score: run.score,
  passRate: run.passRate,
  scores: run.scores,
  costUsd: run.costUsd,
  tokens: run.tokens,
  error: run.error,
  cancelRequested: run.cancelRequested,
  errored: run.summary ? { errored: run.summary.errored, items: run.summary.items } : null,
});
