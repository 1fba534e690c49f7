// The evaluation gate's facts for a release: the gate's dataset, the version's counting run (and one in
// progress, or why the last one does not count), the live version's run and the paired comparison. A
// partial's candidate in a prompt that includes it (docs/decisions/partial-releases.md) is the same question about a
// run of that prompt rendered with the candidate partial, against the prompt as served now.
import { eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { datasets } from "../../../db/schema";
import type { PromptRow } from "../../registry/prompts";
import { AppError } from "../../errors";
import type { EnvironmentRow } from "../environments";
import {
  countingRunFact,
  gateItemCount,
  pairedFacts,
  runFact,
  runMismatch,
  runsOn,
  sameOverrides,
  type RunRow,
} from "./gate-run-facts";
import { gateJudges } from "../plan/judge-facts";
import type { GateFacts } from "../plan/plan";

export async function gateFacts(
  db: Db,
  prompt: Pick<PromptRow, "id">,
  env: EnvironmentRow,
  version: number,
  live: number | null,
  usesPartials: (v: number) => Promise<boolean>,
  /**
   * A partial's candidate in a prompt that includes it: the gate's run is of `version`
   * rendered with these partial versions, and its baseline the same version as the environment serves it.
   */
  override: Record<string, number> | null = null,
): Promise<GateFacts | null> {
  if (!env.gateDatasetId || env.gateMinScore === null || env.gateMaxDrop === null) return null;
  const found = await gateDataset(db, env, env.gateDatasetId, prompt.id);
  if (!found) return null;
  const { ds, datasetVersion, gate } = found;
  // With an override the baseline is the same version as served now: only the partial differs.
  const baselineVersion = override ? version : live !== null && live !== version ? live : null;
  const versions = live !== null && live !== version ? [version, live] : [version];
  const { run, inProgress, outdated, baselineRun } = await gateRuns(
    db,
    prompt.id,
    ds.id,
    gate,
    { version, versions, baselineVersion, override },
    usesPartials,
  );
  const paired =
    env.gateMode !== "threshold" && run && baselineRun
      ? await pairedFacts(db, env.gateScorers, run, baselineRun)
      : null;
  const judges = await gateJudges(db, prompt.id, env.gateScorers);
  const items = await gateItemCount(db, ds.id, datasetVersion);
  return {
    mode: env.gateMode,
    paired,
    dataset: { id: ds.id, name: ds.name },
    datasetVersion,
    pinned: env.gateDatasetVersion !== null,
    currentVersion: ds.currentVersion,
    items,
    minScore: env.gateMinScore,
    maxDrop: env.gateMaxDrop,
    scorers: env.gateScorers ?? [],
    run: run ? await countingRunFact(db, run, items) : null,
    inProgress: inProgress ? runFact(inProgress) : null,
    outdated,
    baseline:
      baselineVersion !== null
        ? { version: baselineVersion, run: baselineRun ? await countingRunFact(db, baselineRun, items) : null }
        : null,
    judges,
  };
}

type Gate = {
  fingerprint: string | null;
  datasetVersion: number;
  scorers: EnvironmentRow["gateScorers"];
  environment: string;
};

/** The gate's dataset at the version it runs on; null when the dataset is tied to another prompt. */
async function gateDataset(db: Db, env: EnvironmentRow, datasetId: string, promptId: string) {
  const [ds] = await db
    .select({
      id: datasets.id,
      name: datasets.name,
      currentVersion: datasets.currentVersion,
      promptId: datasets.promptId,
    })
    .from(datasets)
    .where(eq(datasets.id, datasetId));
  if (!ds) throw new AppError("internal", `The gate of ${env.name} names a dataset that no longer exists.`);
  // A dataset tied to one prompt gates that prompt only: its items are that prompt's inputs, and
  // another prompt (a partial, a summarizer) released to the same environment has nothing to run on
  // them. A dataset tied to no prompt gates every prompt released there.
  if (ds.promptId !== null && ds.promptId !== promptId) return null;
  const datasetVersion = env.gateDatasetVersion ?? ds.currentVersion;
  const [fp] = await queryRows<{ fingerprint: string | null }>(
    db,
    sql`select fingerprint from dataset_versions where dataset_id = ${ds.id} and version = ${datasetVersion}`,
  );
  const gate = {
    fingerprint: fp?.fingerprint ?? null,
    datasetVersion,
    scorers: env.gateScorers,
    environment: env.name,
  };
  return { ds, datasetVersion, gate };
}

/** The runs that count for the gate: the version's (finished or in progress), the one that no longer counts, the baseline's. */
async function gateRuns(
  db: Db,
  promptId: string,
  datasetId: string,
  gate: Gate,
  o: { version: number; versions: number[]; baselineVersion: number | null; override: Record<string, number> | null },
  usesPartials: (v: number) => Promise<boolean>,
) {
  const { version, versions, baselineVersion, override } = o;
  const runs = await runsOn(db, promptId, versions, datasetId);
  const partials = new Map<number, boolean>();
  for (const v of versions) partials.set(v, await usesPartials(v));
  const counting = (
    v: number,
    status: (s: RunRow["status"]) => boolean,
    overrides: Record<string, number> | null = null,
  ) =>
    runs.find(
      (r) =>
        r.version === v &&
        status(r.status) &&
        sameOverrides(r.partialVersions, overrides) &&
        runMismatch(r, gate, partials.get(v)!) === null,
    );
  // A run that could not score (a gate scorer scored no answer) is evidence too: its items failed.
  const finished = (s: RunRow["status"]) => s === "completed" || s === "unscored";
  const run = counting(version, finished, override);
  const inProgress = run ? undefined : counting(version, (s) => s === "queued" || s === "running", override);
  const lastCompleted = runs.find(
    (r) => r.version === version && finished(r.status) && sameOverrides(r.partialVersions, override),
  );
  const outdated =
    !run && lastCompleted
      ? { ...runFact(lastCompleted), why: runMismatch(lastCompleted, gate, partials.get(version)!)! }
      : null;
  const baselineRun = baselineVersion !== null ? counting(baselineVersion, (s) => s === "completed") : undefined;
  return { run, inProgress, outdated, baselineRun };
}
