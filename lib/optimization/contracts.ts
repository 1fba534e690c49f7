// The shapes an optimization keeps in jsonb (db/schema/optimizations.ts types its column with them).
// Types only: the schema imports this file, so it must not import anything that reaches the database.
import type { PairedRuns } from "../scorers/paired-runs";

/** One candidate the search scored on the train split. */
export interface CandidateSummary {
  /** 0 is the starting version's instruction. */
  index: number;
  /** The instruction (cut at 2,000 characters here; the draft holds the whole best one). */
  instruction: string;
  /** Mean item score on the train items it was scored on, and how many. */
  trainScore: number | null;
  trainItems: number;
}

/** How far an optimization got, and the held-out comparison when it got there. */
export interface OptimizationResult {
  method: string;
  split: { train: number; heldOut: number; seed: number };
  /** Where it is or where it stopped: search, few-shot, held-out, done. */
  stage: "search" | "held-out" | "done";
  /** Why the search ended: the optimizer finished its trials, or the budget stopped it. */
  searchStoppedBy?: "optimizer" | "budget";
  /** What the budget refused, when it did. */
  budgetNotice?: string;
  candidates: CandidateSummary[];
  best?: { index: number; trainScore: number | null; examples: number };
  /** Why nothing better was found (outcome no_improvement), in one sentence. */
  noImprovement?: string;
  /** The best candidate (b) against the starting version (a), item by item on the held-out split. */
  comparison?: PairedRuns & {
    verdict: string;
    base: { version: number; score: number | null };
    candidate: { score: number | null };
  };
}
