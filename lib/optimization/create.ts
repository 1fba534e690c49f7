// Starting an optimization. createOptimization validates, pins the dataset version, refuses one past the
// project's limit or the server's largest budget, and queues; the work is the `optimization` job (execute.ts).
import type { Db } from "../../db/client";
import { optimizations } from "../../db/schema";
import { lockAtActiveLimit } from "../evaluation/runs/active";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { getDatasetRow } from "../evaluation/datasets/datasets";
import { itemsAtVersion } from "../evaluation/datasets/item-reads";
import { defaultRunEnvironment } from "../evaluation/runs/environment";
import { checkScoringConnections, type ModelReachability } from "../llm/resolver";
import { actorUserId, type DomainContext } from "../context";
import { getPrompt } from "../registry/prompts";
import type { Content } from "../registry/content";
import { getVersion } from "../registry/versions";
import { getEnvironmentRow, listEnvironmentRows, PRODUCTION } from "../release/environments";
import { parseScorerSpecs, type NamedScorerSpec } from "../scorers";
import { unprocessable } from "../evaluation/unprocessable";
import type { Budget } from "./budget";
import {
  callsPerItem,
  minimumCalls,
  parseCreateOptimizationInput,
  type CreateOptimizationInput,
} from "./optimization-input";
import type { OptimizationRow } from "./reads";
import { heldOutCount, MIN_PER_SIDE } from "./split";

/** Queues the job of an optimization (lib/server sends `optimization` {id}). */
export type EnqueueOptimization = (id: string) => Promise<void>;

export type OptimizationLimits = {
  /** Optimizations a project may have queued or running at once (LECTERN_OPTIMIZATIONS_ACTIVE_PER_PROJECT). */
  maxActivePerProject: number;
  /** The largest budget one optimization may ask for (LECTERN_OPTIMIZATION_MAX_CALLS, _MAX_COST_USD). */
  maxBudget: Budget;
};

/**
 * What starting an optimization needs besides its input, all required so that no caller can forget one
 * (an optimization never queued, one past the project's limit, one that fails later for want of a model).
 * lib/server builds it once (wiring/optimization-wiring.ts) for the route and the UI; tests that execute
 * optimizations directly pass their own.
 */
export type OptimizationStart = {
  enqueue: EnqueueOptimization;
  /** null: no limits (tests that call executeOptimization themselves). */
  limits: OptimizationLimits | null;
  /** Where model calls go: an optimization with nowhere to send them is refused before it is queued. */
  models: ModelReachability | null;
};

/** The gate's scorers for this dataset: the environment gated on it, else production's gate. */
async function gateScorers(db: Db, projectId: string, datasetId: string) {
  const envs = await listEnvironmentRows(db, projectId);
  const env =
    envs.find((e) => e.gateDatasetId === datasetId) ?? envs.find((e) => e.name === PRODUCTION && e.gateScorers);
  return env?.gateScorers ?? null;
}

const usd = (x: number) => `$${x.toLocaleString("en", { maximumFractionDigits: 2 })}`;

/** Refuses a budget past the server's ceiling, naming the field and the setting. */
function checkBudgetCeiling(budget: Budget, max: Budget) {
  if (budget.calls > max.calls)
    throw new AppError(
      "unprocessable",
      `budget.calls must be at most ${max.calls.toLocaleString("en")} on this server (LECTERN_OPTIMIZATION_MAX_CALLS)`,
      { field: "budget.calls", maximum: max.calls },
    );
  if (budget.costUsd > max.costUsd)
    throw new AppError(
      "unprocessable",
      `budget.costUsd must be at most ${usd(max.costUsd)} on this server (LECTERN_OPTIMIZATION_MAX_COST_USD)`,
      { field: "budget.costUsd", maximum: max.costUsd },
    );
}

/** What the job would find missing, refused before it is queued: a skill has nothing to rewrite, and no model, nothing to call. */
function checkOptimizable(content: Content, name: string, version: number) {
  if (content.type === "skill")
    throw new AppError(
      "unprocessable",
      `${name} is a skill: it is served as written, with no instruction to optimize`,
      {
        field: "prompt",
        type: "skill",
      },
    );
  if (typeof content.config.model !== "string" || !content.config.model.trim())
    throw new AppError(
      "unprocessable",
      `version: ${name} version ${version} names no model (config.model): the optimizer has nothing to call; save a version with a model`,
      { field: "version" },
    );
}

/** The dataset has items for both sides, and the budget covers one round of the search and the held-out comparison. */
async function checkBudgetCovers(
  db: Db,
  ds: Awaited<ReturnType<typeof getDatasetRow>>,
  data: ReturnType<typeof parseCreateOptimizationInput>,
  perItem: number,
) {
  const items = ds.currentVersion === 0 ? 0 : (await itemsAtVersion(db, ds.id, ds.currentVersion)).length;
  if (items < 2 * MIN_PER_SIDE)
    throw new AppError(
      "unprocessable",
      `dataset: ${ds.name} has ${items} items; an optimization needs at least ${2 * MIN_PER_SIDE} (train and held-out)`,
      { field: "dataset" },
    );
  const heldOut = heldOutCount(items, data.heldOutShare);
  const least = minimumCalls(items - heldOut, heldOut, perItem);
  if (data.budget.calls < least)
    throw new AppError(
      "unprocessable",
      `a budget of ${data.budget.calls} calls cannot cover one round of the search and the held-out comparison (${heldOut} items × 2 versions × ${perItem} calls); give budget.calls at least ${least}`,
      { field: "budget.calls", minimum: least },
    );
}

export async function createOptimization(
  ctx: DomainContext,
  input: CreateOptimizationInput,
  start: OptimizationStart,
): Promise<OptimizationRow> {
  const data = parseCreateOptimizationInput(input);
  if (start.limits) checkBudgetCeiling(data.budget, start.limits.maxBudget);
  const prompt = await getPrompt(ctx.db, ctx.projectId, data.prompt);
  checkOptimizable((await getVersion(ctx.db, prompt, data.version)).content, prompt.name, data.version);
  const ds = await getDatasetRow(ctx.db, ctx.projectId, data.dataset);
  const environment = data.environment
    ? (await getEnvironmentRow(ctx.db, ctx.projectId, data.environment)).name
    : await defaultRunEnvironment(ctx.db, ctx.projectId, ds.id);
  const given = data.scorers ?? (await gateScorers(ctx.db, ctx.projectId, ds.id));
  if (given === null)
    throw new AppError("unprocessable", "scorers: no gate scores this dataset; name the scorers to optimize for", {
      field: "scorers",
    });
  const scorers: NamedScorerSpec[] = unprocessable(parseScorerSpecs, given, "scorers");
  if (scorers.length === 0)
    throw new AppError("unprocessable", "scorers must name at least one scorer", { field: "scorers" });
  const perItem = callsPerItem(scorers);
  const connectionName = await checkScoringConnections(start.models, ctx.db, ctx.projectId, data.connection, scorers);
  await checkBudgetCovers(ctx.db, ds, data, perItem);
  // The limit is checked and the optimization written under a lock on the project (evaluation/runs/active.ts).
  const row = await ctx.db.transaction(async (tx) => {
    const limit = start.limits?.maxActivePerProject;
    if (await lockAtActiveLimit(tx, ctx.projectId, optimizations, limit))
      throw new AppError(
        "rate_limited",
        `This project already has ${limit} optimization${limit === 1 ? "" : "s"} queued or running (LECTERN_OPTIMIZATIONS_ACTIVE_PER_PROJECT); wait for one to finish or cancel one.`,
        { limit, setting: "LECTERN_OPTIMIZATIONS_ACTIVE_PER_PROJECT", retryAfterSeconds: 60 },
      );
    const [row] = await tx
      .insert(optimizations)
      .values({
        projectId: ctx.projectId,
        promptId: prompt.id,
        version: data.version,
        datasetId: ds.id,
        datasetVersion: ds.currentVersion,
        scorers,
        connection: data.connection ?? null,
        connectionName,
        environment,
        seed: data.seed,
        heldOutShare: data.heldOutShare,
        budgetCalls: data.budget.calls,
        budgetCostUsd: data.budget.costUsd,
        createdBy: actorUserId(ctx),
        createdByLabel: ctx.actor.label,
      })
      .returning();
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "optimization.create",
      objectType: "optimization",
      objectId: row!.id,
      after: { prompt: prompt.name, version: data.version, dataset: ds.name, budget: data.budget },
    });
    return row!;
  });
  // After the commit (the job must find the row). One whose job was never sent (the process died here,
  // the queue refused it) is sent again by the optimization sweep (sweep.ts).
  await start.enqueue(row.id);
  return row;
}
