// Plain shapes the experiment page hands to its components (type-only imports: nothing of lib runs in the browser).
import type { experimentResults } from "@/lib/experiments/analysis/results";
import type { experimentDto } from "@/lib/experiments/dto";

export type ExperimentView = ReturnType<typeof experimentDto>;
export type ResultsView = Awaited<ReturnType<typeof experimentResults>>;
export type Decision = {
  /** "deployment": a promotion or rollback of the prompt in the environment stopped it (reason names it). */
  stoppedBy?: "deployment";
  ship?: string;
  keep?: "control";
  reason?: string;
  deployment?: { id: number; version: number; action?: string } | null;
} | null;
export type { Guardrail, PrimaryMetric } from "@/lib/experiments/contracts";
