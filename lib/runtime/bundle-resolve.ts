// GET /api/v1/bundles/{name}/resolve (docs/decisions/bundles.md): every member of a bundle as one environment serves
// it, read in one repeatable-read transaction, so the answer is one consistent state of the deployment log — a bundle
// release commits all its members at once, and a reader sees all of them or none. Uncached: the per-prompt
// cache of resolve could hold one member from before a release and another from after. With a subject, the
// bundle's own experiment or guarded rollout assigns it: its members share one seed and one share, so the
// subject gets every member's version of one arm (lib/experiments/rollouts/bundle-rollouts.ts, bundle-experiments.ts);
// an experiment of a member's own does not split a bundle's members.

import { z } from "zod";
import type { Db } from "../../db/client";
import { bundleReleasesIn, getBundleRow } from "../release/bundles/bundles";
import { environmentNameSchema, getEnvironmentRow } from "../release/environments";
import { loadRows } from "../registry/live-versions";
import { chooseArm } from "./experiment-arms";
import { loadResolved } from "./load";
import { resolvedDto, resolvedSchema, type ExperimentAnswer } from "./resolve";

const instant = z.iso.datetime({ offset: true });

/** GET /api/v1/bundles/{name}/resolve (resolveBundle): every member as served, the release, the subject's arm. */
export const bundleResolveResponse = z.object({
  bundle: z.string(),
  environment: z.string(),
  release: z
    .object({
      id: z.number().int(),
      at: instant,
      action: z.enum(["release", "rollback"]),
      versions: z.record(z.string(), z.number().int()),
      current: z.boolean(),
    })
    .nullable(),
  rollout: z.object({ id: z.string(), arm: z.string() }).nullable(),
  experiment: z.object({ id: z.string(), variant: z.string() }).nullable(),
  subject: z.string().nullable(),
  prompts: z.record(z.string(), resolvedSchema),
});

export type BundleResolveOptions = {
  subject?: string;
  /** Records a subject's exposure to the bundle's rollout (the runtime's exposure recorder). */
  exposed?: (experiment: NonNullable<ExperimentAnswer>, subject: string) => void;
  now?: Date;
};

export async function resolveBundle(
  db: Db,
  projectId: string,
  name: string,
  environment: string,
  opts: BundleResolveOptions = {},
) {
  const now = opts.now ?? new Date();
  const exposures: NonNullable<ExperimentAnswer>[] = [];
  let group: string | null = null;
  return db
    .transaction(
      async (tx) => {
        const bundle = await getBundleRow(tx, projectId, name);
        const env = await getEnvironmentRow(tx, projectId, environment);
        const [release] = await bundleReleasesIn(tx, bundle.id, env.id, 1);
        const rows = await loadRows(
          tx,
          projectId,
          bundle.members.map((m) => m.name),
          environment,
          {},
        );
        const prompts: Record<string, ReturnType<typeof resolvedDto>> = {};
        for (const m of bundle.members) {
          const row = rows.find((r) => r.name === m.name);
          const since = liveSince(row?.live_since);
          if (opts.subject !== undefined) {
            const entry = await loadResolved(tx, projectId, m.name, environment);
            if (entry.experiment?.bundle?.name === bundle.name) {
              group = entry.experiment.bundle.group;
              const choice = chooseArm(entry, opts.subject);
              if (choice === "sticky") throw new Error("a bundle's rollout is never a bandit");
              if (choice.experiment) exposures.push(choice.experiment);
              prompts[m.name] = {
                ...resolvedDto(choice.arm, opts.subject, now, choice.experiment, true),
                pinned: false,
                liveSince: since,
              };
              continue;
            }
          }
          // What the deployment serves (an experiment of the prompt's own does not split a bundle's members).
          const r = await loadResolved(tx, projectId, m.name, environment, {
            version: row?.live_version ?? undefined,
          });
          prompts[m.name] = { ...resolvedDto(r, opts.subject, now), pinned: false, liveSince: since };
        }
        const serves = Object.fromEntries(Object.entries(prompts).map(([n, p]) => [n, p.version]));
        const rollout = Object.values(prompts).find((p) => p.rollout)?.rollout ?? null;
        const experiment = rollout ? null : (Object.values(prompts).find((p) => p.experiment)?.experiment ?? null);
        return {
          bundle: bundle.name,
          environment: env.name,
          release: release
            ? {
                id: release.id,
                at: release.createdAt.toISOString(),
                action: release.action,
                versions: release.versions,
                // false when a member was released on its own since: the answer is what is served now.
                current: Object.entries(release.versions).every(([n, v]) => serves[n] === undefined || serves[n] === v),
              }
            : null,
          // While the bundle's guarded rollout ramps: the subject's side of it, the same for every member.
          rollout: rollout && group ? { id: group, arm: rollout.arm } : null,
          // While the bundle's experiment runs: the subject's arm, the same for every member it changes.
          experiment: experiment && group ? { id: group, variant: experiment.variant } : null,
          subject: opts.subject ?? null,
          prompts,
        };
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    )
    .then((answer) => {
      if (opts.subject !== undefined) for (const e of exposures) opts.exposed?.(e, opts.subject);
      return answer;
    });
}

const liveSince = (v: string | Date | null | undefined) => (v ? new Date(v).toISOString() : null);

/** GET /api/v1/bundles/{name}/resolve: the environment (production by default) and the subject of resolveBundle. */
export const bundleResolveQuery = z.object({
  environment: environmentNameSchema.default("production").describe("The environment to resolve from"),
  subject: z
    .string()
    .max(256, { error: "subject must be at most 256 characters" })
    .optional()
    .describe("Who is served (a user or session id): picks the variant when an experiment or rollout runs"),
});
