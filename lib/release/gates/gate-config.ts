// An environment's evaluation gate and auto-promote rule: their inputs, how they are stored (keeping
// the stored scorers, pin and mode on a save that leaves them out) and how they are read back.
import { and, eq } from "drizzle-orm";
import { isUuid } from "../../validation";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { datasets } from "../../../db/schema";
import { AppError } from "../../errors";
import { assertProjectConnections, scorerConnections } from "../../llm/connections";
import { normalizeGateScorers } from "../../scorers/gate";
import type { EnvironmentRow } from "../environments";

const unit = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .min(0, `${field} must be between 0 and 1`)
    .max(1, `${field} must be between 0 and 1`);

/** threshold: minScore and maxDrop; paired: no gate scorer significantly worse than the live version; both. */
export const gateModes = ["threshold", "paired", "both"] as const;
export type GateMode = (typeof gateModes)[number];

/**
 * `dataset` is the dataset's id or name (in this project); `datasetVersion` pins the gate to one
 * version of its items (default: the dataset's current items at each check); `scorers` are the gate's
 * own scorer specs, the only ones whose runs count (default: a run's default scorer, a non-empty output).
 * `mode` (default threshold) says how the version is compared with the live one; in paired mode `minScore`
 * may be left out (0). On an update, an omitted `mode` keeps the stored one, and omitted `datasetVersion`
 * and `scorers` keep the stored ones when the dataset is unchanged.
 */
export const evaluationGateInput = z
  .strictObject({
    dataset: z
      .string({ error: "evaluationGate.dataset must be a dataset id or name" })
      .min(1, "evaluationGate.dataset must be a dataset id or name")
      .max(200),
    datasetVersion: z
      .number({ error: "evaluationGate.datasetVersion must be a number" })
      .int({ error: "evaluationGate.datasetVersion must be a whole number" })
      .min(1, { error: "evaluationGate.datasetVersion must be at least 1" })
      .nullable()
      .optional(),
    minScore: unit("evaluationGate.minScore").optional(),
    maxDrop: unit("evaluationGate.maxDrop").default(1),
    scorers: z.unknown().optional(),
    mode: z.enum(gateModes, { error: "evaluationGate.mode must be threshold, paired or both" }).optional(),
  })
  // With mode omitted the stored mode decides (gateColumns checks it there).
  .refine((g) => g.minScore !== undefined || g.mode === "paired" || g.mode === undefined, {
    path: ["minScore"],
    error: "evaluationGate.minScore is required unless mode is paired",
  });
/** Promote automatically when a completed run on the environment's gate dataset scores at least minScore. */
export const autoPromoteInput = z.strictObject({ minScore: unit("autoPromote.minScore") });

export interface EvaluationGate {
  datasetId: string;
  dataset: string;
  /** Pinned dataset version, or null: the dataset's current items. */
  datasetVersion: number | null;
  minScore: number;
  maxDrop: number;
  scorers: unknown[];
  mode: GateMode;
}

async function resolveGateDataset(db: Db, projectId: string, ref: string) {
  const [row] = await db
    .select({ id: datasets.id, name: datasets.name, currentVersion: datasets.currentVersion })
    .from(datasets)
    .where(and(eq(datasets.projectId, projectId), isUuid(ref) ? eq(datasets.id, ref) : eq(datasets.name, ref)));
  if (!row)
    throw new AppError("invalid_input", `evaluationGate.dataset: no dataset ${ref} in this project`, {
      field: "evaluationGate.dataset",
    });
  return row;
}

type GateColumns = Pick<
  EnvironmentRow,
  | "gateDatasetId"
  | "gateDatasetVersion"
  | "gateMinScore"
  | "gateMaxDrop"
  | "gateScorers"
  | "gateMode"
  | "autoPromoteMinScore"
>;

/** The gate and auto-promote inputs as environment columns (undefined: leave unchanged). */
export async function gateColumns(
  db: Db,
  projectId: string,
  gate: z.infer<typeof evaluationGateInput> | null | undefined,
  autoPromote: z.infer<typeof autoPromoteInput> | null | undefined,
  current: GateColumns | null,
): Promise<Partial<GateColumns>> {
  const out: Partial<GateColumns> = {};
  if (gate === null)
    Object.assign(out, {
      gateDatasetId: null,
      gateDatasetVersion: null,
      gateMinScore: null,
      gateMaxDrop: null,
      gateScorers: null,
      gateMode: "threshold",
      autoPromoteMinScore: null,
    });
  else if (gate) {
    const ds = await resolveGateDataset(db, projectId, gate.dataset);
    // Omitted scorers or datasetVersion keep the stored ones while the dataset stays the same: a form or
    // a PATCH that only moves minScore must not reset the scorers, which would void every run that
    // counted for the gate. An explicit null unpins (datasetVersion) or restores the default (scorers).
    const kept = current?.gateDatasetId === ds.id ? current : null;
    const pinned = gate.datasetVersion !== undefined ? gate.datasetVersion : (kept?.gateDatasetVersion ?? null);
    if (pinned !== null && pinned > ds.currentVersion)
      throw new AppError(
        "invalid_input",
        `evaluationGate.datasetVersion: dataset ${ds.name} has no version ${pinned} (its current version is ${ds.currentVersion})`,
        { field: "evaluationGate.datasetVersion" },
      );
    const scorers =
      gate.scorers === undefined && kept?.gateScorers ? kept.gateScorers : normalizeGateScorers(gate.scorers);
    // A judge runs on the connection it names: only this project's (another's key must not pay, or answer).
    await assertProjectConnections(db, projectId, scorerConnections(scorers as object[], "evaluationGate.scorers"));
    const mode = gate.mode ?? current?.gateMode ?? "threshold";
    if (gate.minScore === undefined && mode !== "paired")
      throw new AppError("invalid_input", "evaluationGate.minScore is required unless mode is paired", {
        field: "evaluationGate.minScore",
      });
    Object.assign(out, {
      gateDatasetId: ds.id,
      gateDatasetVersion: pinned,
      gateMinScore: gate.minScore ?? 0,
      gateMaxDrop: gate.maxDrop,
      gateScorers: scorers,
      gateMode: mode,
    });
  }
  if (autoPromote === null) out.autoPromoteMinScore = null;
  else if (autoPromote) {
    const gated = out.gateDatasetId !== undefined ? out.gateDatasetId : current?.gateDatasetId;
    if (!gated)
      throw new AppError("invalid_input", "autoPromote needs an evaluationGate: set the gate's dataset first", {
        field: "autoPromote",
      });
    out.autoPromoteMinScore = autoPromote.minScore;
  }
  return out;
}

/** An environment's evaluation gate with its dataset's name, or null. */
export async function evaluationGateOf(db: Db, env: EnvironmentRow): Promise<EvaluationGate | null> {
  if (!env.gateDatasetId || env.gateMinScore === null || env.gateMaxDrop === null) return null;
  const [ds] = await db.select({ name: datasets.name }).from(datasets).where(eq(datasets.id, env.gateDatasetId));
  return {
    datasetId: env.gateDatasetId,
    dataset: ds?.name ?? env.gateDatasetId,
    datasetVersion: env.gateDatasetVersion,
    minScore: env.gateMinScore,
    maxDrop: env.gateMaxDrop,
    scorers: env.gateScorers ?? [],
    mode: env.gateMode,
  };
}

/** A gate's thresholds and scorers, as the API and snapshots show them after its dataset. */
export const gateThresholds = (gate: EvaluationGate) => ({
  minScore: gate.minScore,
  maxDrop: gate.maxDrop,
  scorers: gate.scorers,
  mode: gate.mode,
});

/** The auto-promote rule, the shadow requirement and the guarded rollout, as the API and snapshots show them. */
export const rulesAfterGate = (env: EnvironmentRow) => ({
  autoPromote: env.autoPromoteMinScore === null ? null : { minScore: env.autoPromoteMinScore },
  requiresShadow: env.shadowMinInputs === null ? null : { minInputs: env.shadowMinInputs },
  guardedRollout: env.guardedRollout,
});

/** The gate, the auto-promote rule and the shadow requirement as a snapshot carries them (the dataset by name). */
export async function snapshotGate(db: Db, env: EnvironmentRow) {
  const gate = await evaluationGateOf(db, env);
  return {
    evaluationGate: gate && { dataset: gate.dataset, ...gateThresholds(gate) },
    ...rulesAfterGate(env),
  };
}

/** An environment as a snapshot carries it (an export, and the import target it is compared with). */
export async function snapshotEnvironment(db: Db, e: EnvironmentRow) {
  return {
    name: e.name,
    position: e.position,
    protected: e.protected,
    requiresReview: e.requiresReview,
    requiresLiveIn: e.requiresLiveIn,
    ...(await snapshotGate(db, e)),
  };
}
