// The environment a run renders partials for when none is named: one rule, for the run created now
// (create.ts) and for a run made before runs kept their environment (execute.ts).
import type { Db } from "../../../db/client";
import { listEnvironmentRows, PRODUCTION } from "../../release/environments";

/**
 * The environment gated on the run's dataset (so the run can count for that gate), else production,
 * else the last environment in promotion order (createRunInput.environment).
 */
export async function defaultRunEnvironment(db: Db, projectId: string, datasetId: string): Promise<string> {
  const envs = await listEnvironmentRows(db, projectId);
  return (
    envs.find((e) => e.gateDatasetId === datasetId)?.name ??
    envs.find((e) => e.name === PRODUCTION)?.name ??
    envs.at(-1)!.name
  );
}
