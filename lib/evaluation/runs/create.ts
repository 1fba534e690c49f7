// Creating evaluation runs (cancelling one: cancel.ts). The work itself is the `eval-run` job (execute.ts);
// createEvalRun only validates, pins the dataset version and queues.
import { checkScoringConnections, type ModelReachability } from "../../llm/resolver";
import { z } from "zod";
import { datasetRef, versionUnderTest } from "./version-input";
import type { Db } from "../../../db/client";
import { evalRuns } from "../../../db/schema";
import { lockAtActiveLimit } from "./active";
import { recordAudit } from "../../audit/record";
import { AppError, isAppError } from "../../errors";
import { actorUserId, type DomainContext } from "../../context";
import { getPrompt } from "../../registry/prompts";
import { getVersion } from "../../registry/versions";
import { partialOverrides } from "./partial-overrides";
import { parseInput as parseStrict } from "../../validation";
import { unprocessable } from "../unprocessable";
import { getRunRow } from "./reads";
import { getDatasetRow } from "../datasets/datasets";
import { itemsAtVersion, resolveVersion } from "../datasets/item-reads";
import { getEnvironmentRow } from "../../release/environments";
import { defaultRunEnvironment } from "./environment";
import { defaultScorers, parseScorerSpecs, type NamedScorerSpec } from "../../scorers";

export type EvalRunRow = typeof evalRuns.$inferSelect;

/** Queues the job of a run (lib/server sends `eval-run` {runId}: enqueueWith in job.ts). */
export type EnqueueRun = (runId: string) => Promise<void>;

export const createRunInput = z.object({
  ...versionUnderTest,
  dataset: datasetRef.optional(),
  datasetVersion: z.number({ error: "datasetVersion must be a number" }).int().min(1).optional(),
  scorers: z.unknown().optional(),
  repetitions: z
    .number({ error: "repetitions must be a number" })
    .int("repetitions must be a whole number")
    .min(1, "repetitions must be between 1 and 20")
    .max(20, "repetitions must be between 1 and 20")
    .default(1),
  concurrency: z
    .number({ error: "concurrency must be a number" })
    .int("concurrency must be a whole number")
    .min(1, "concurrency must be between 1 and 64")
    .max(64, "concurrency must be between 1 and 64")
    .default(4),
  connection: z.string().min(1).max(200).nullable().optional(),
  /**
   * The environment whose partials the version is rendered with (as it serves them). Default: the
   * environment gated on this dataset, else production, else the last environment in promotion order
   * (defaultRunEnvironment, environment.ts).
   */
  environment: z.string().min(1).max(36).optional(),
  /**
   * Run for an environment's evaluation gate: its dataset (at the gate's pinned version, else current),
   * its scorers and its environment, so the run counts for the gate. `dataset`, `datasetVersion` and
   * `scorers` must then be left out.
   */
  gate: z.string().min(1).max(36).optional(),
  /**
   * A completed run on the same dataset version whose outputs a pairwise llm_judge compares this run's
   * with, item by item; required when a scorer is a pairwise judge.
   */
  baseline: z.string().min(1, "baseline must be a run id").max(64).optional(),
  /**
   * Partials rendered at these versions instead of as the environment serves them ({name: version}):
   * a partial's candidate version in a prompt that includes it, for that prompt's gate.
   */
  partials: z
    .record(
      z.string().min(1).max(255),
      z.number({ error: "partials: each version must be a number" }).int().min(1, "partials: versions start at 1"),
      { error: "partials must be an object of partial names and versions" },
    )
    .refine((p) => Object.keys(p).length <= 20, "partials may name at most 20 partials")
    .optional(),
});

/** How many runs a project may have queued or running at once (LECTERN_RUNS_ACTIVE_PER_PROJECT). */
export type RunLimits = { maxActivePerProject: number };

/**
 * What starting a run needs besides its input, both required so that no caller can forget one (a run
 * that never starts, or one past the project's limit). lib/server builds it once (wiring/evaluation-wiring.ts,
 * runStart) for the route and the UI actions; tests that execute runs directly pass their own.
 */
export type RunStart = {
  enqueue: EnqueueRun;
  /** null: no limit, for runs the queue does not execute (recordRun; tests that call executeRun). */
  limits: RunLimits | null;
  /**
   * Where model calls go: a run with nowhere to send them is refused where it is started (422 naming the
   * field), not queued to fail. null for runs that call no model (recordRun) and tests that execute runs.
   */
  models: ModelReachability | null;
};

/** A run's input as clients send it (the body of POST /api/v1/eval-runs, the new-run form's). */
export type CreateRunRequest = z.input<typeof createRunInput>;
/** A run's input as createEvalRun takes it: parsed (defaults applied) by parseCreateRunInput. */
export type CreateRunInput = z.output<typeof createRunInput>;

/**
 * The one parser of a run's input, for the REST route, the UI actions and anything that builds one: bad
 * input is 422 naming the field (offline evaluation's rule, lib/evaluation/unprocessable.ts).
 */
export const parseCreateRunInput = (input: unknown): CreateRunInput =>
  unprocessable(parseStrict, createRunInput, input);

/** What a run for an environment's gate runs on: the gate's dataset, items, scorers and environment. */
async function gateRunInput(db: Db, projectId: string, data: CreateRunInput) {
  const env = await getEnvironmentRow(db, projectId, data.gate!);
  if (!env.gateDatasetId)
    throw new AppError("unprocessable", `gate: ${env.name} has no evaluation gate`, { field: "gate" });
  for (const field of ["dataset", "datasetVersion", "scorers"] as const)
    if (data[field] !== undefined)
      throw new AppError("unprocessable", `${field}: a run for ${env.name}'s gate uses the gate's ${field}`, {
        field,
      });
  return {
    ...data,
    dataset: env.gateDatasetId,
    datasetVersion: env.gateDatasetVersion ?? undefined,
    scorers: env.gateScorers,
    environment: env.name,
  };
}

/**
 * The run a pairwise judge compares with: completed, of this project, on the same dataset version (the
 * items must be the same to pair them). A pairwise judge without one could never judge.
 */
async function baselineRun(
  db: Db,
  projectId: string,
  id: string | undefined,
  scorers: NamedScorerSpec[],
  datasetId: string,
  datasetVersion: number,
): Promise<EvalRunRow | undefined> {
  const pairwise = scorers.find((s) => s.type === "llm_judge" && s.mode === "pairwise");
  if (id === undefined) {
    if (pairwise)
      throw new AppError(
        "unprocessable",
        `baseline is required: the pairwise judge ${pairwise.name} compares this run's outputs with a baseline run's`,
        { field: "baseline" },
      );
    return undefined;
  }
  const run = await getRunRow(db, projectId, id).catch((e: unknown) => {
    throw isAppError(e) && e.code === "not_found"
      ? new AppError("unprocessable", `baseline: no evaluation run ${id}`, { field: "baseline" })
      : e;
  });
  if (run.datasetId !== datasetId || run.datasetVersion !== datasetVersion)
    throw new AppError(
      "unprocessable",
      `baseline: run ${run.id} evaluated another dataset or dataset version (${run.datasetVersion}); a baseline must have the same items`,
      { field: "baseline" },
    );
  if (run.status !== "completed")
    throw new AppError("unprocessable", `baseline: run ${run.id} is ${run.status}; a baseline must be completed`, {
      field: "baseline",
    });
  return run;
}

/** The run's scorers: those named, else its dataset's (a .prompt.yml file's evaluators), else the default. */
function runScorers(given: unknown, fromDataset: unknown): NamedScorerSpec[] {
  const scorers: NamedScorerSpec[] = unprocessable(
    parseScorerSpecs,
    // A run that names no scorers uses its dataset's (a .prompt.yml file's evaluators), else the default.
    given ?? fromDataset ?? defaultScorers,
    "scorers",
  );
  if (scorers.length === 0)
    throw new AppError("unprocessable", "scorers must name at least one scorer", { field: "scorers" });
  return scorers;
}

async function refuseAtActiveLimit(tx: Db, projectId: string, limit: number | undefined) {
  if (await lockAtActiveLimit(tx, projectId, evalRuns, limit))
    throw new AppError(
      "rate_limited",
      `This project already has ${limit} evaluation runs queued or running (LECTERN_RUNS_ACTIVE_PER_PROJECT); wait for one to finish or cancel one.`,
      { limit, retryAfterSeconds: 30 },
    );
}

export async function createEvalRun(ctx: DomainContext, parsed: CreateRunInput, start: RunStart): Promise<EvalRunRow> {
  const data = parsed.gate ? await gateRunInput(ctx.db, ctx.projectId, parsed) : parsed;
  if (!data.dataset) throw new AppError("unprocessable", "dataset is required (its id or name)", { field: "dataset" });
  const prompt = await getPrompt(ctx.db, ctx.projectId, data.prompt);
  const pv = await getVersion(ctx.db, prompt, data.version);
  const skill = `${prompt.name} is a skill, served as written: evaluate a prompt that includes it ({{> ${prompt.name}}}), with "partials": {"${prompt.name}": ${data.version}} for this version.`;
  if (pv.content.type === "skill") throw new AppError("unprocessable", skill, { field: "prompt", type: "skill" });
  const ds = await getDatasetRow(ctx.db, ctx.projectId, data.dataset);
  const environment = data.environment
    ? (await getEnvironmentRow(ctx.db, ctx.projectId, data.environment)).name
    : await defaultRunEnvironment(ctx.db, ctx.projectId, ds.id);
  if (ds.currentVersion === 0)
    throw new AppError("unprocessable", `dataset ${ds.name} has no items yet; add items first`, { field: "dataset" });
  const datasetVersion = resolveVersion(ds, data.datasetVersion);
  const scorers = runScorers(data.scorers, ds.scorers);
  const connectionName = await checkScoringConnections(start.models, ctx.db, ctx.projectId, data.connection, scorers);
  const partialVersions = await partialOverrides(
    ctx.db,
    ctx.projectId,
    { name: prompt.name, version: data.version, content: pv.content },
    environment,
    data.partials,
  );
  const baseline = await baselineRun(ctx.db, ctx.projectId, data.baseline, scorers, ds.id, datasetVersion);
  const items = (await itemsAtVersion(ctx.db, ds.id, datasetVersion)).length;
  if (items === 0)
    throw new AppError("unprocessable", `dataset ${ds.name} version ${datasetVersion} has no items`, {
      field: "datasetVersion",
    });
  // The limit is checked and the run written under a lock on the project (active.ts).
  const run = await ctx.db.transaction(async (tx) => {
    await refuseAtActiveLimit(tx, ctx.projectId, start.limits?.maxActivePerProject);
    const [run] = await tx
      .insert(evalRuns)
      .values({
        projectId: ctx.projectId,
        promptId: prompt.id,
        version: data.version,
        datasetId: ds.id,
        datasetVersion,
        scorers,
        repetitions: data.repetitions,
        concurrency: data.concurrency,
        connection: data.connection ?? null,
        connectionName,
        environment,
        partialVersions,
        baselineRunId: baseline?.id ?? null,
        total: items * data.repetitions,
        createdBy: actorUserId(ctx),
        createdByLabel: ctx.actor.label,
      })
      .returning();
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "eval_run.create",
      objectType: "eval_run",
      objectId: run!.id,
      after: {
        prompt: prompt.name,
        version: data.version,
        dataset: ds.name,
        datasetVersion,
        environment,
        ...(partialVersions && { partials: partialVersions }),
        ...(baseline && { baseline: baseline.id }),
      },
    });
    return run!;
  });
  // After the commit (the job must find the row). A run whose job was never sent (the process died
  // here, the queue refused it) is sent again by the eval-run-sweep cron (sweep.ts).
  await start.enqueue(run.id);
  return run;
}
