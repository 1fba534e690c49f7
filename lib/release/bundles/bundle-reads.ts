// What the bundles API and pages show of a bundle: its members, and per environment its latest release
// (the versions it set, whether the members still serve them) and its history.
import { z } from "zod";
import type { Db } from "../../../db/client";
import { listBundleReviews } from "./bundle-reviews";
import { listBundles, bundleReleasesIn, getBundleRow, type BundleReleaseRow } from "./bundles";
import { getEnvironmentRow, listEnvironmentRows } from "../environments";
import { liveVersions } from "../deployments";
import { planFor } from "../plan/plan-facts";
import type { ReleasePlan } from "../plan/plan";
import { listVersionRows } from "../../registry/versions";

const instant = z.iso.datetime({ offset: true });

/** A bundle release or rollback as the API answers it (bundleReleaseDto). */
export const bundleReleaseSchema = z.object({
  id: z.number().int(),
  environment: z.string(),
  action: z.enum(["release", "rollback"]),
  versions: z.record(z.string(), z.number().int()),
  by: z.string(),
  reason: z.string(),
  at: instant,
});

/** GET /api/v1/bundles/{name} (getBundle): the bundle, and per environment what it serves and its releases. */
export const bundleViewResponse = z.object({
  bundle: z.object({
    name: z.string(),
    description: z.string(),
    prompts: z.array(z.string()),
    createdBy: z.string(),
    createdAt: instant,
    environments: z.array(
      z.object({
        name: z.string(),
        protected: z.boolean(),
        position: z.number().int(),
        serves: z.record(z.string(), z.number().int().nullable()),
        release: bundleReleaseSchema.extend({ current: z.boolean() }).nullable(),
        history: z.array(bundleReleaseSchema),
      }),
    ),
  }),
});

/** GET /api/v1/bundles: each bundle's name and description. */
export const bundleListResponse = z.object({
  bundles: z.array(z.object({ name: z.string(), description: z.string() })),
});

export const bundleReleaseDto = (r: BundleReleaseRow, environment: string) => ({
  id: r.id,
  environment,
  action: r.action,
  versions: r.versions,
  by: r.actorLabel,
  reason: r.reason,
  at: r.createdAt.toISOString(),
});

/** GET /api/v1/bundles/{name}: members, and per environment what each member serves and the bundle's releases. */
export async function getBundle(db: Db, projectId: string, name: string) {
  const bundle = await getBundleRow(db, projectId, name);
  const envs = await listEnvironmentRows(db, projectId);
  const served = await Promise.all(bundle.members.map((m) => liveVersions(db, projectId, m.id)));
  const environments = [];
  for (const [i, env] of envs.entries()) {
    const releases = await bundleReleasesIn(db, bundle.id, env.id, 20);
    const serves = Object.fromEntries(
      bundle.members.map((m, j) => [m.name, served[j]!.find((s) => s.environment === env.name)?.live?.version ?? null]),
    );
    const latest = releases[0];
    environments.push({
      name: env.name,
      protected: env.protected,
      position: i,
      serves,
      release: latest
        ? {
            ...bundleReleaseDto(latest, env.name),
            current: Object.entries(latest.versions).every(([n, v]) => serves[n] === undefined || serves[n] === v),
          }
        : null,
      history: releases.map((r) => bundleReleaseDto(r, env.name)),
    });
  }
  return {
    bundle: {
      name: bundle.name,
      description: bundle.description,
      prompts: bundle.members.map((m) => m.name),
      createdBy: bundle.createdByLabel,
      createdAt: bundle.createdAt.toISOString(),
      environments,
    },
  };
}

/** Each member's plan for a bundle release (what the release form shows before anyone clicks). */
export async function bundlePlans(
  db: Db,
  projectId: string,
  name: string,
  environment: string,
  versions: Record<string, number>,
): Promise<{ prompt: string; plan: ReleasePlan | null }[]> {
  const bundle = await getBundleRow(db, projectId, name);
  const env = await getEnvironmentRow(db, projectId, environment);
  const out = [];
  for (const m of bundle.members) {
    const v = versions[m.name];
    out.push({ prompt: m.name, plan: v === undefined ? null : await planFor(db, m, env, v) });
  }
  return out;
}

/** The bundles page: each bundle with its members and, per environment, whether its latest release is what is served. */
export async function bundlesOverview(db: Db, projectId: string) {
  const rows = await listBundles(db, projectId);
  return Promise.all(rows.map(async (b) => (await getBundle(db, projectId, b.name)).bundle));
}

/** The bundle page: the bundle, and each member's versions (newest first) for the release form. */
export async function bundleOverview(db: Db, projectId: string, name: string) {
  const { bundle } = await getBundle(db, projectId, name);
  const members = (await getBundleRow(db, projectId, name)).members;
  const versions = Object.fromEntries(
    await Promise.all(
      members.map(async (m) => [m.name, (await listVersionRows(db, m)).map((v) => v.version.version)] as const),
    ),
  );
  // Its reviews (one for every member that a release changes), the pending ones first to the eye.
  const reviews = await listBundleReviews(db, projectId, name, { limit: 10 });
  return { bundle, versions, reviews };
}

/** POST /api/v1/bundles/{name}/releases and …/rollback: the release written. */
export const bundleReleaseResponse = z.object({ release: bundleReleaseSchema });
