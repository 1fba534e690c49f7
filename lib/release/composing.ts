// A partial's release under running experiments (docs/decisions/compositions.md). An experiment's arm is a composition
// — its prompt version with every partial it includes as the environment serves them — so releasing another version of
// a partial that an arm includes changes what the arm serves while the experiment runs, and its results would mix
// two texts per arm. Every move of what an environment serves (deploy(): promote, rollback, bundle releases,
// reviews, jobs) refuses such a release unless the caller chose what happens to those experiments: a new phase
// (results are read per phase) or a stop. A guarded rollout cannot take a new phase: the release waits until it
// ends, or stops it. The choice is recorded on the deployment row and applied by its trigger (migration 0048),
// in the release's transaction. The release plan shows the same facts as its `experiments` step (plan/plan-composing.ts).
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../db/client";
import { can, type Actor } from "../auth/permissions";
import { AppError } from "../errors";
import type { Content } from "../registry/content";
import { servedPartialsKey } from "../registry/live-versions";
import { namesLeadingTo } from "./dependents";
import type { EnvironmentRow } from "./environments";

export const experimentActions = ["new_phase", "stop"] as const;
export type ExperimentAction = (typeof experimentActions)[number];

/** What a person chooses for the experiments a release would change: `experimentAction` in a release's body. */
export const experimentActionInput = z
  .enum(experimentActions, { error: 'experimentAction must be "new_phase" or "stop"' })
  .optional();

/**
 * What a release does to the experiments it changes, as the deployment row records it: each experiment's id with
 * what its arms serve afterwards ({<variant key>: partials key}), and the sentence their new phase or stop reads.
 */
export type ExperimentEffects = {
  action: ExperimentAction;
  reason: string;
  experiments: { id: string; compositions: Record<string, string> }[];
};

/** A running experiment or guarded rollout whose arms a release of a partial changes. */
export type ComposingExperiment = {
  id: string;
  name: string;
  kind: "experiment" | "rollout";
  prompt: string;
  owner: string | null;
  /** Each arm: its version, and its partials before and after the release (`name@version,…`). */
  arms: { key: string; version: number; before: string; after: string }[];
  /** A member of a bundle's group moves with the others (whose arms may not change themselves). */
  bundleGroup: string | null;
};

type ArmRow = {
  id: string;
  name: string;
  kind: "experiment" | "rollout";
  owner: string | null;
  bundle_group: string | null;
  prompt_id: string;
  prompt: string;
  key: string;
  version: number;
  content: Content;
};

/**
 * The running experiments and guarded rollouts in `env` on other prompts whose arms would serve another
 * composition if `env` served `version` of `partial` (and the other members of their bundle groups).
 */
export async function composingExperiments(
  db: Db,
  projectId: string,
  partial: string,
  env: EnvironmentRow,
  version: number,
  /** namesLeadingTo(partial), when the caller reads it for other uses too (plan/plan-facts.ts). */
  leading: () => Promise<string[]> = () => namesLeadingTo(db, projectId, partial),
): Promise<ComposingExperiment[]> {
  const names = (await leading()).filter((n) => n !== partial);
  if (!names.length) return [];
  const rows = await queryRows<ArmRow>(
    db,
    sql`select e.id, e.name, e.kind, e.created_by as owner, e.bundle->>'group' as bundle_group,
          p.id as prompt_id, p.name as prompt, v.key, v.version, pv.content
        from experiments e
        join prompts p on p.id = e.prompt_id
        join experiment_variants v on v.experiment_id = e.id
        join prompt_versions pv on pv.prompt_id = e.prompt_id and pv.version = v.version
        where e.project_id = ${projectId} and e.environment_id = ${env.id} and e.status = 'running'
          and (p.name = any(${sql.param(names)}::text[])
               or e.bundle->>'group' in (select g.bundle->>'group' from experiments g join prompts gp on gp.id = g.prompt_id
                                         where g.project_id = ${projectId} and g.environment_id = ${env.id}
                                           and g.status = 'running' and gp.name = any(${sql.param(names)}::text[])))
        order by e.created_at, e.id, v.position`,
  );
  const byId = new Map<string, ComposingExperiment & { changed: boolean }>();
  for (const r of rows) {
    const e =
      byId.get(r.id) ??
      byId
        .set(r.id, {
          id: r.id,
          name: r.name,
          kind: r.kind,
          prompt: r.prompt,
          owner: r.owner,
          arms: [],
          bundleGroup: r.bundle_group,
          changed: false,
        })
        .get(r.id)!;
    const root = { name: r.prompt, version: Number(r.version), content: r.content };
    const before = await servedPartialsKey(db, projectId, root, env.name);
    const after = await servedPartialsKey(db, projectId, root, env.name, { [partial]: version });
    if (before === null || after === null) continue;
    e.arms.push({ key: r.key, version: Number(r.version), before, after });
    if (before !== after) e.changed = true;
  }
  const groups = new Set([...byId.values()].filter((e) => e.changed && e.bundleGroup).map((e) => e.bundleGroup));
  return [...byId.values()]
    .filter((e) => e.changed || (e.bundleGroup !== null && groups.has(e.bundleGroup)))
    .map(({ changed: _c, ...e }) => e);
}

/** "experiment “Concise replies” on support-reply" / "the guarded rollout of support-reply". */
export function describeComposing(e: Pick<ComposingExperiment, "kind" | "name" | "prompt">): string {
  return e.kind === "rollout" ? `the guarded rollout of ${e.prompt}` : `experiment “${e.name}” on ${e.prompt}`;
}

const listed = (list: ComposingExperiment[]) => list.map(describeComposing).join(" and ");

/**
 * What a release of `version` of `partial` to `env` does to `composing` given the caller's choice: the effects to
 * record, or the refusal (409 experiment_running, naming the experiment; 403 when the actor may not end or move
 * it). "safety" is the automatic rollback's choice: a new phase for experiments, a stop for rollouts.
 */
export function composingEffects(
  composing: ComposingExperiment[],
  choice: ExperimentAction | "safety" | undefined,
  actor: Actor,
  release: { partial: string; version: number; environment: string; reason: string },
  details: Record<string, unknown> = {},
): ExperimentEffects[] {
  if (!composing.length) return [];
  const first = composing[0]!;
  const refs = composing.map(({ id, name, kind, prompt }) => ({ id, name, kind, prompt }));
  const what = `Releasing version ${release.version} of ${release.partial} to ${release.environment} changes what ${listed(composing)} serves while it runs`;
  if (choice === undefined)
    throw new AppError(
      "experiment_running",
      `${what}: its results would mix two prompts per arm. Choose what happens to it: start a new phase (results are read per phase; experimentAction: "new_phase") or stop it (experimentAction: "stop").`,
      { field: "experimentAction", experiment: { id: first.id, name: first.name }, experiments: refs, ...details },
    );
  const rollouts = composing.filter((e) => e.kind === "rollout");
  if (choice === "new_phase" && rollouts.length)
    throw new AppError(
      "experiment_running",
      `${what}. A guarded rollout cannot begin a new phase: let this release wait until ${listed(rollouts)} ends, or stop it (experimentAction: "stop").`,
      {
        field: "experimentAction",
        experiment: { id: rollouts[0]!.id, name: rollouts[0]!.name },
        experiments: refs,
        ...details,
      },
    );
  if (choice !== "safety" && !(actor.type !== "system" && can(actor, "experiment.manage"))) {
    const notOwned = composing.filter((e) => actor.type !== "user" || e.owner !== actor.id);
    if (notOwned.length)
      throw new AppError(
        "forbidden",
        `${what}, and ${listed(notOwned)} may only be moved to a new phase or stopped by the person who created it or an approver: ask them to release this version, or wait until it ends.`,
        { rule: "endExperiment", experiments: refs, ...details },
      );
  }
  const why = `${release.partial} v${release.version} released to ${release.environment}${release.reason ? `: ${release.reason}` : ""}`;
  const entry = (e: ComposingExperiment) => ({
    id: e.id,
    compositions: Object.fromEntries(e.arms.map((a) => [a.key, a.after])),
  });
  const phased =
    choice === "safety" ? composing.filter((e) => e.kind !== "rollout") : choice === "new_phase" ? composing : [];
  const stopped = choice === "safety" ? rollouts : choice === "stop" ? composing : [];
  return [
    ...(phased.length
      ? [{ action: "new_phase" as const, reason: `New phase: ${why}`, experiments: phased.map(entry) }]
      : []),
    ...(stopped.length
      ? [
          {
            action: "stop" as const,
            reason: `Stopped: ${why} changed what its arms serve.`,
            experiments: stopped.map(entry),
          },
        ]
      : []),
  ];
}
