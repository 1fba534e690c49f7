// A version's status, derived from the deployment log alone so it can never disagree with it:
//   production — live in production now
//   testing    — live in another environment now (and not in production)
//   archived   — was live somewhere (for the seed's case: in production) and has been replaced everywhere
//   draft      — never deployed
// The four are the design document's words, and the wire's. In code a "draft" is a draft copy and a version with
// status "draft" is "never deployed" (docs/glossary.md).
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { deployments, environments } from "../../db/schema";
import { PRODUCTION } from "./environments";

export type VersionStatus = "draft" | "testing" | "production" | "archived";
export type VersionPlacement = { status: VersionStatus; liveIn: string[]; wasLiveIn: string[] };

/** Pure: statuses from deployment rows ordered oldest first. */
export function deriveStatuses(rows: { environment: string; version: number }[]): Map<number, VersionPlacement> {
  const current = new Map<string, number>();
  const ever = new Map<number, Set<string>>();
  for (const r of rows) {
    current.set(r.environment, r.version);
    ever.set(r.version, (ever.get(r.version) ?? new Set()).add(r.environment));
  }
  const result = new Map<number, VersionPlacement>();
  for (const [version, envs] of ever) {
    const liveIn = [...current].filter(([, v]) => v === version).map(([e]) => e);
    const status: VersionStatus = liveIn.includes(PRODUCTION) ? "production" : liveIn.length ? "testing" : "archived";
    result.set(version, { status, liveIn, wasLiveIn: [...envs] });
  }
  return result;
}

/** Where a version never deployed stands: status "draft", live nowhere, never was. */
export const neverDeployed = (): VersionPlacement => ({ status: "draft", liveIn: [], wasLiveIn: [] });

export const placementOf = (m: Map<number, VersionPlacement>, version: number): VersionPlacement =>
  m.get(version) ?? neverDeployed();

export async function versionStatuses(db: Db, promptId: string): Promise<Map<number, VersionPlacement>> {
  const rows = await db
    .select({ environment: environments.name, version: deployments.version })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(eq(deployments.promptId, promptId))
    .orderBy(deployments.id);
  return deriveStatuses(rows);
}
