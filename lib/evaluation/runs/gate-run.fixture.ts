// Shared by the tests of a release's dependents (dependents-gate, skill-dependents): a gate run of a version
// of "support", as staging's evaluation gate asks for it, executed to the end.
import { deps, f, newRun, t } from "../../../test/eval-runs-fixture";
import { executeRun, getEvalRun } from ".";

export async function gateRun(version: number, partials?: Record<string, number>) {
  const r = await newRun(f.ctx(f.editor), { prompt: "support", version, gate: "staging", partials });
  await executeRun(t.db, r.id, deps);
  return getEvalRun(t.db, f.projectId, r.id);
}
