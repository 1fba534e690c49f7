// Which versions each evaluation gate still needs a run for. An edited gate dataset (items removed,
// added, changed) or other gate scorers make earlier runs stop counting, and nobody would know until a
// promotion is refused. This read model says it in advance, from the same facts and rules as the
// release plan (../plan/plan-facts.ts, ../plan/plan.ts): "needs a new run" here is exactly what a promotion would refuse.
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { readTogether, type Db } from "../../../db/client";
import { datasets, deployments, prompts, reviewRequests } from "../../../db/schema";
import type { PromptRow } from "../../registry/prompts";
import { listEnvironmentRows, type EnvironmentRow } from "../environments";
import { releasePlan } from "../plan/plan";
import { loadPlanFacts } from "../plan/plan-facts";

/**
 * passes: a run counts and meets the gate; fails: a run counts but does not meet it (it scores too low,
 * some gate items failed in it, or the paired comparison cannot pass): "Run them" leaves it alone, a
 * person decides whether a new run could help; stale: its last run no longer counts (other items or scorers);
 * missing: it never ran with the gate's items and scorers; running: a run that will count is under way.
 */
export type GateVersionState = "passes" | "fails" | "stale" | "missing" | "running";

export interface GateVersion {
  prompt: string;
  version: number;
  /** Why this version matters for the gate, in words: "live in production", "review pending". */
  why: string[];
  state: GateVersionState;
  /** The plan's sentence for the evaluation step (score, or why the last run does not count). */
  detail: string;
  /** The run that counts, the one under way, or the last one that no longer counts. */
  run: string | null;
  score: number | null;
}

export interface GateStatus {
  environment: string;
  requiresLiveIn: string | null;
  dataset: { id: string; name: string };
  /** The dataset version the gate checks now (the pinned one, else the current one). */
  datasetVersion: number;
  currentVersion: number;
  pinned: boolean;
  minScore: number;
  versions: GateVersion[];
  /** How many versions a new run would help (stale or missing). */
  needRun: number;
}

export const needsRun = (v: Pick<GateVersion, "state">) => v.state === "stale" || v.state === "missing";

const MAX_VERSIONS = 100;

type Candidate = { prompt: PromptRow; version: number; why: string[] };

/**
 * The versions that matter for an environment's gate: the one live there, the ones live in the
 * environment it requires first (the next candidates), and the ones with a pending review for it.
 */
async function candidates(db: Db, env: EnvironmentRow, byId: Map<string, EnvironmentRow>): Promise<Candidate[]> {
  const first = env.requiresLiveIn ? [...byId.values()].find((e) => e.name === env.requiresLiveIn) : undefined;
  const envIds = first ? [env.id, first.id] : [env.id];
  const [live, pending] = await readTogether(db, [
    () =>
      db
        .selectDistinctOn([deployments.promptId, deployments.environmentId], {
          prompt: prompts,
          environmentId: deployments.environmentId,
          version: deployments.version,
        })
        .from(deployments)
        .innerJoin(prompts, eq(prompts.id, deployments.promptId))
        .where(and(inArray(deployments.environmentId, envIds), isNull(prompts.deletedAt)))
        .orderBy(deployments.promptId, deployments.environmentId, desc(deployments.id)),
    () =>
      db
        .select({ prompt: prompts, version: reviewRequests.version })
        .from(reviewRequests)
        .innerJoin(prompts, eq(prompts.id, reviewRequests.promptId))
        .where(
          and(
            eq(reviewRequests.environmentId, env.id),
            eq(reviewRequests.status, "pending"),
            isNull(prompts.deletedAt),
          ),
        )
        .orderBy(desc(reviewRequests.createdAt)),
  ]);
  const out = new Map<string, Candidate>();
  const add = (prompt: PromptRow, version: number, why: string) => {
    const key = `${prompt.id}:${version}`;
    const c = out.get(key) ?? { prompt, version, why: [] };
    if (!c.why.includes(why)) c.why.push(why);
    out.set(key, c);
  };
  for (const r of live) add(r.prompt, r.version, `live in ${byId.get(r.environmentId)!.name}`);
  for (const r of pending) add(r.prompt, r.version, `review pending for ${env.name}`);
  return [...out.values()].sort((a, b) => a.prompt.name.localeCompare(b.prompt.name) || b.version - a.version);
}

async function versionStatus(db: Db, env: EnvironmentRow, c: Candidate): Promise<GateVersion | null> {
  const facts = await loadPlanFacts(db, c.prompt, env, c.version);
  const gate = facts.gate;
  const step = releasePlan(facts).steps.find((s) => s.id === "evaluation");
  if (!gate || !step) return null;
  const action = step.action?.kind;
  // A paired gate may ask for a run of the live version instead: this version's own run would not help.
  // A run that counts and failed on some items asks for a new run too, but it is not missing.
  const ownRun = step.action?.kind !== "run_evaluation" || (step.action.version === c.version && !gate.run);
  const state: GateVersionState = step.met
    ? "passes"
    : action === "wait_for_run"
      ? "running"
      : action === "run_evaluation" && ownRun
        ? gate.outdated
          ? "stale"
          : "missing"
        : "fails";
  const run = gate.run ?? gate.inProgress ?? gate.outdated;
  return {
    prompt: c.prompt.name,
    version: c.version,
    why: c.why,
    state,
    detail: step.detail,
    run: run?.id ?? null,
    score: gate.run?.score ?? null,
  };
}

/** The gate itself: its dataset, the version it checks and its threshold. */
async function gateHead(db: Db, env: EnvironmentRow) {
  const [ds] = await db
    .select({ id: datasets.id, name: datasets.name, currentVersion: datasets.currentVersion })
    .from(datasets)
    .where(eq(datasets.id, env.gateDatasetId!));
  const currentVersion = ds?.currentVersion ?? 0;
  return {
    dataset: { id: env.gateDatasetId!, name: ds?.name ?? env.gateDatasetId! },
    datasetVersion: env.gateDatasetVersion ?? currentVersion,
    currentVersion,
    pinned: env.gateDatasetVersion !== null,
    minScore: env.gateMinScore ?? 0,
  };
}

/**
 * For each environment with an evaluation gate (only those gating on the dataset with id `dataset`,
 * when given): the versions that matter for it and whether their gate run still counts.
 */
export async function gateStatus(db: Db, projectId: string, opts: { dataset?: string } = {}): Promise<GateStatus[]> {
  const envs = await listEnvironmentRows(db, projectId);
  const byId = new Map(envs.map((e) => [e.id, e]));
  const gated = envs.filter(
    (e) => e.gateDatasetId !== null && (opts.dataset === undefined || e.gateDatasetId === opts.dataset),
  );
  const out: GateStatus[] = [];
  for (const env of gated) {
    const versions: GateVersion[] = [];
    for (const c of (await candidates(db, env, byId)).slice(0, MAX_VERSIONS)) {
      const v = await versionStatus(db, env, c);
      if (v) versions.push(v);
    }
    out.push({
      environment: env.name,
      requiresLiveIn: env.requiresLiveIn,
      ...(await gateHead(db, env)),
      versions,
      needRun: versions.filter(needsRun).length,
    });
  }
  return out;
}
