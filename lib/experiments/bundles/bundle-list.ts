// Listing a bundle's experiments (bundle-experiments.ts) and its rollouts (../rollouts/bundle-rollouts.ts): both are
// groups of member experiments marked `bundle: {name, group}`, found the same way.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { environments, experiments } from "../../../db/schema";
import { getBundleRow } from "../../release/bundles/bundles";

/**
 * The groups of a bundle's experiments or rollouts, newest first (at most 20 rows: a group once per
 * creation time of its members), in one environment or all; with the bundle's name as stored.
 */
export async function bundleGroupsOf(
  db: Db,
  projectId: string,
  name: string,
  kind: "experiment" | "rollout",
  environment?: string,
): Promise<{ bundle: string; groups: string[] }> {
  const bundle = await getBundleRow(db, projectId, name);
  const where: SQL[] = [
    eq(experiments.projectId, projectId),
    eq(experiments.kind, kind),
    sql`${experiments.bundle}->>'name' = ${bundle.name}`,
  ];
  if (environment) where.push(eq(environments.name, environment));
  const rows = await db
    .selectDistinct({ group: sql<string>`${experiments.bundle}->>'group'`, at: experiments.createdAt })
    .from(experiments)
    .innerJoin(environments, eq(environments.id, experiments.environmentId))
    .where(and(...where))
    .orderBy(desc(experiments.createdAt))
    .limit(20);
  return { bundle: bundle.name, groups: rows.map((r) => r.group) };
}
