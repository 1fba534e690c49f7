// What importing a snapshot would change, as a pure function of the target's state and the snapshot.
// An import only fast-forwards: it adds the versions and deployments the target lacks. Where the two
// histories disagree (same version number, different content; deployment logs that fork) it reports
// conflicts and the caller writes nothing. Where the target is ahead (it has versions or deployments
// the snapshot does not), nothing is removed and the difference is reported.
import type { Content } from "../registry/content";
import { diffContent } from "../registry/changes/diff";
import { deepEqual } from "../registry/json";
import { newPromptNameProblem } from "../registry/name-rules";
import { AppError } from "../errors";
import { planBundles, type BundlePlan } from "./plan-bundles";
import {
  normaliseInstant,
  type ProjectSnapshot,
  type SnapshotBundle,
  type SnapshotDeployment,
  type SnapshotEnvironment,
  type SnapshotPrompt,
  type SnapshotVersion,
} from "./format";

// The target's prompt in the snapshot's own words (format.ts): `archivedAt` and `archivedVersions` are the
// snapshot file's names for a deleted prompt and deleted versions (docs/glossary.md: "deleted").
export interface TargetPrompt {
  id: string;
  name: string;
  description: string;
  tags: string[];
  targetModel: string | null;
  archivedAt: string | null;
  /** Every version, oldest first. */
  versions: { version: number; content: Content }[];
  /** The deployment log, oldest first. */
  deployments: Pick<SnapshotDeployment, "environment" | "version" | "action" | "at">[];
  /** Deleted version numbers. */
  archivedVersions?: number[];
  /** Version labels (of versions not deleted). */
  versionLabels?: { label: string; version: number }[];
}

export interface TargetState {
  environments: SnapshotEnvironment[];
  prompts: Map<string, TargetPrompt>;
  bundles: SnapshotBundle[];
}

// Position is only set when an environment is created: it orders the UI, and nothing in the API moves it.
export const environmentRuleFields = [
  "protected",
  "requiresReview",
  "requiresLiveIn",
  "evaluationGate",
  "autoPromote",
  "requiresShadow",
  "guardedRollout",
] as const;
export const promptDetailFields = ["description", "tags", "targetModel", "archivedAt"] as const;

export type SnapshotConflict =
  | { kind: "version"; prompt: string; version: number; message: string; summary: string[] }
  | {
      kind: "deployments";
      prompt: string;
      environment: string;
      message: string;
      /** Index in the environment's log where the two disagree. */
      position: number;
      target: { version: number; action: string; at: string };
      snapshot: { version: number; action: string; at: string };
    };

export interface PromptPlan {
  name: string;
  snapshot: SnapshotPrompt;
  existing: TargetPrompt | undefined;
  /** Detail fields the snapshot changes (all of them for a new prompt). */
  details: (typeof promptDetailFields)[number][];
  /** Versions to insert, oldest first. */
  versions: SnapshotVersion[];
  /** Deployments to append, per environment, oldest first. */
  deployments: Map<string, SnapshotDeployment[]>;
  /** What the target has beyond the snapshot (kept as it is). */
  ahead: { versions: number | null; environments: string[] };
  /** Versions the snapshot has deleted and the target not yet (a deletion is never undone). */
  toDelete: number[];
  /** Version labels the snapshot points elsewhere than the target (or the target lacks); none is removed. */
  labels: { label: string; version: number }[];
}

export interface EnvironmentUpdate {
  name: string;
  fields: (typeof environmentRuleFields)[number][];
  before: SnapshotEnvironment;
  after: SnapshotEnvironment;
}

export interface SnapshotPlan {
  environments: { create: SnapshotEnvironment[]; update: EnvironmentUpdate[] };
  prompts: PromptPlan[];
  bundles: BundlePlan;
  conflicts: SnapshotConflict[];
}

const sameDeployment = (a: TargetPrompt["deployments"][number], b: TargetPrompt["deployments"][number]) =>
  a.version === b.version && a.action === b.action && normaliseInstant(a.at) === normaliseInstant(b.at);

const brief = (d: TargetPrompt["deployments"][number]) => ({
  version: d.version,
  action: d.action,
  at: normaliseInstant(d.at),
});

function planEnvironments(
  target: SnapshotEnvironment[],
  snapshot: SnapshotEnvironment[],
): SnapshotPlan["environments"] {
  const byName = new Map(target.map((e) => [e.name, e]));
  const create: SnapshotEnvironment[] = [];
  const update: EnvironmentUpdate[] = [];
  for (const e of snapshot) {
    const t = byName.get(e.name);
    if (!t) {
      create.push(e);
      continue;
    }
    const fields = environmentRuleFields.filter((f) => JSON.stringify(t[f]) !== JSON.stringify(e[f]));
    if (fields.length) update.push({ name: e.name, fields, before: t, after: e });
  }
  return { create, update };
}

function planPrompt(p: SnapshotPrompt, t: TargetPrompt | undefined, conflicts: SnapshotConflict[]): PromptPlan {
  const plan: PromptPlan = {
    name: p.name,
    snapshot: p,
    existing: t,
    details: [],
    versions: [],
    deployments: new Map(),
    ahead: { versions: null, environments: [] },
    toDelete: p.archivedVersions.filter((v) => !(t?.archivedVersions ?? []).includes(v)),
    // A deleted prompt takes no labels (they could not be set on it).
    labels:
      p.archivedAt === null
        ? p.versionLabels.filter(
            (l) => !(t?.versionLabels ?? []).some((x) => x.label === l.label && x.version === l.version),
          )
        : [],
  };
  if (!t) {
    const problem = newPromptNameProblem(p.name);
    if (problem)
      throw new AppError("invalid_input", `prompts: ${JSON.stringify(p.name)}: ${problem}`, { field: "prompts" });
    plan.details = [...promptDetailFields];
    plan.versions = p.versions;
    for (const d of p.deployments)
      plan.deployments.set(d.environment, [...(plan.deployments.get(d.environment) ?? []), d]);
    return plan;
  }

  const deleted = (s: string | null) => s !== null;
  plan.details = promptDetailFields.filter((f) =>
    f === "archivedAt" ? deleted(t.archivedAt) !== deleted(p.archivedAt) : !deepEqual(t[f], p[f]),
  );

  const common = Math.min(t.versions.length, p.versions.length);
  for (let i = 0; i < common; i++) {
    const mine = t.versions[i]!;
    const theirs = p.versions[i]!;
    if (!deepEqual(mine.content, theirs.content)) {
      conflicts.push({
        kind: "version",
        prompt: p.name,
        version: theirs.version,
        message: `${p.name} version ${theirs.version} has different content here than in the snapshot: the histories diverged.`,
        summary: diffContent(mine.content, theirs.content).summary,
      });
    }
  }
  if (p.versions.length > t.versions.length) plan.versions = p.versions.slice(t.versions.length);
  else if (t.versions.length > p.versions.length) plan.ahead.versions = t.versions.length;

  const environments = [...new Set([...t.deployments, ...p.deployments].map((d) => d.environment))];
  for (const env of environments) {
    const mine = t.deployments.filter((d) => d.environment === env);
    const theirs = p.deployments.filter((d) => d.environment === env);
    let k = 0;
    while (k < mine.length && k < theirs.length && sameDeployment(mine[k]!, theirs[k]!)) k++;
    if (k === mine.length) {
      if (theirs.length > k) plan.deployments.set(env, theirs.slice(k));
    } else if (k === theirs.length) {
      plan.ahead.environments.push(env);
    } else {
      conflicts.push({
        kind: "deployments",
        prompt: p.name,
        environment: env,
        position: k,
        target: brief(mine[k]!),
        snapshot: brief(theirs[k]!),
        message: `${p.name} in ${env}: deployment ${k + 1} here is version ${mine[k]!.version} (${mine[k]!.action} at ${normaliseInstant(mine[k]!.at)}), in the snapshot version ${theirs[k]!.version} (${theirs[k]!.action} at ${normaliseInstant(theirs[k]!.at)}): the deployment logs diverged.`,
      });
    }
  }
  return plan;
}

export function planImport(target: TargetState, snapshot: ProjectSnapshot): SnapshotPlan {
  const conflicts: SnapshotConflict[] = [];
  const prompts = snapshot.prompts.map((p) => planPrompt(p, target.prompts.get(p.name), conflicts));
  return {
    environments: planEnvironments(target.environments, snapshot.environments),
    prompts,
    bundles: planBundles(target.bundles, target.prompts.keys(), snapshot),
    conflicts,
  };
}

export const promptChanged = (p: PromptPlan) =>
  !p.existing ||
  p.details.length > 0 ||
  p.versions.length > 0 ||
  p.deployments.size > 0 ||
  p.toDelete.length > 0 ||
  p.labels.length > 0;

/** The JSON an import answers with: what changed (or would change, for a dry run), by name. */
export function planSummary(plan: SnapshotPlan, dryRun: boolean, newDatasets: string[] = []) {
  const changed = plan.prompts.filter(promptChanged);
  const deploymentCount = (p: PromptPlan) => [...p.deployments.values()].reduce((n, l) => n + l.length, 0);
  const summary = {
    dryRun,
    changed:
      changed.length > 0 ||
      plan.environments.create.length > 0 ||
      plan.environments.update.length > 0 ||
      newDatasets.length > 0 ||
      plan.bundles.create.length > 0 ||
      plan.bundles.update.length > 0,
    // Datasets the target lacks (by name) are created with the snapshot's items; existing ones are kept as they are.
    datasets: { created: newDatasets },
    // Bundles by name: created, or given the snapshot's members and description; ones only the target has are kept.
    bundles: {
      created: plan.bundles.create.map((b) => b.name),
      updated: plan.bundles.update.map((u) => ({ name: u.name, fields: u.fields })),
    },
    environments: {
      created: plan.environments.create.map((e) => e.name),
      updated: plan.environments.update.map((u) => ({ name: u.name, fields: u.fields })),
    },
    prompts: {
      created: changed.filter((p) => !p.existing).map((p) => p.name),
      updated: changed
        .filter((p) => p.existing)
        .map((p) => ({
          name: p.name,
          versions: p.versions.map((v) => v.version),
          deployments: Object.fromEntries([...p.deployments].map(([env, list]) => [env, list.length])),
          details: p.details,
          ...(p.toDelete.length ? { archived: p.toDelete } : {}),
          ...(p.labels.length ? { versionLabels: Object.fromEntries(p.labels.map((l) => [l.label, l.version])) } : {}),
        })),
      unchanged: plan.prompts.length - changed.length,
      ahead: plan.prompts
        .filter((p) => p.ahead.versions !== null || p.ahead.environments.length > 0)
        .map((p) => ({ name: p.name, latestVersion: p.ahead.versions, environments: p.ahead.environments })),
    },
    totals: {
      versions: plan.prompts.reduce((n, p) => n + p.versions.length, 0),
      deployments: plan.prompts.reduce((n, p) => n + deploymentCount(p), 0),
    },
  };
  return summary;
}

export type ImportSummary = ReturnType<typeof planSummary>;
