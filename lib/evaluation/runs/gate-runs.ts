// "Run them": starts the gate runs that versions need after a gate dataset or the gate's scorers
// changed. Each is the same run the release plan's "Run evaluation" button starts (createEvalRun with
// `gate`), so it counts for the gate once it completes.
import { isAppError } from "../../errors";
import type { DomainContext } from "../../context";
import { gateStatus, needsRun } from "../../release/gates/gate-status";
import { createEvalRun, parseCreateRunInput, type RunStart } from "./create";

export interface GateRunsResult {
  started: { environment: string; prompt: string; version: number; run: string }[];
  /** Versions that needed a run but could not get one (the project's run limit, a missing model connection…). */
  failed: { environment: string; prompt: string; version: number; message: string }[];
}

/**
 * Starts a gate run for every version that needs one (stale or missing) in the gates using the
 * dataset with id `dataset`, or in one environment's gate, or in every gate. A version whose run for
 * one gate also counts for another (same items and scorers) is run once: each gate is re-read after
 * the runs of the gates before it started.
 */
export async function runGateRuns(
  ctx: DomainContext,
  scope: { dataset?: string; environment?: string },
  start: RunStart,
): Promise<GateRunsResult> {
  const result: GateRunsResult = { started: [], failed: [] };
  const environments = (await gateStatus(ctx.db, ctx.projectId, { dataset: scope.dataset }))
    .map((g) => g.environment)
    .filter((e) => scope.environment === undefined || e === scope.environment);
  for (const environment of environments) {
    const [gate] = (await gateStatus(ctx.db, ctx.projectId, { dataset: scope.dataset })).filter(
      (g) => g.environment === environment,
    );
    for (const v of gate?.versions.filter(needsRun) ?? []) {
      try {
        const input = parseCreateRunInput({ prompt: v.prompt, version: v.version, gate: environment });
        const run = await createEvalRun(ctx, input, start);
        result.started.push({ environment, prompt: v.prompt, version: v.version, run: run.id });
      } catch (e) {
        if (!isAppError(e)) throw e;
        result.failed.push({ environment, prompt: v.prompt, version: v.version, message: e.message });
        if (e.code === "rate_limited") return result; // the next ones would be refused the same way
      }
    }
  }
  return result;
}
