// The bundle release log's writes (docs/decisions/bundles.md): a release row, written before its members' deployments
// so each of them can name it, and the release's audit row, written after them. Only bundles.ts calls these,
// inside the release's transaction.
import { bundleReleases, type BundleVersions } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { actorUserId, type DomainContext } from "../../context";
import type { EnvironmentRow } from "../environments";

export type BundleReleaseRow = typeof bundleReleases.$inferSelect;

export async function insertRelease(
  ctx: DomainContext,
  bundle: { id: string; name: string },
  env: EnvironmentRow,
  set: { versions: BundleVersions; previous: Record<string, number | null> },
  action: "release" | "rollback",
  reason: string,
): Promise<BundleReleaseRow> {
  const tx = ctx.db;
  const [row] = await tx
    .insert(bundleReleases)
    .values({
      bundleId: bundle.id,
      environmentId: env.id,
      versions: set.versions,
      previous: set.previous,
      action,
      actorId: actorUserId(ctx),
      actorLabel: ctx.actor.label,
      reason,
    })
    .returning();
  return row!;
}

/**
 * The release's audit row, written after its members' deployments: the outbox of the one `bundle.released` /
 * `bundle.rolled_back` webhook event, so it names what a subscriber needs without reading anything else.
 */
export async function auditRelease(
  ctx: DomainContext,
  bundle: { id: string; name: string },
  env: EnvironmentRow,
  row: BundleReleaseRow,
  extra: { changed: string[]; undoes?: number },
) {
  const tx = ctx.db;
  await recordAudit(tx, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: `bundle.${row.action}`,
    objectType: "bundle",
    objectId: bundle.id,
    after: {
      bundle: bundle.name,
      environment: env.name,
      release: row.id,
      versions: row.versions,
      previous: row.previous,
      changed: extra.changed,
      ...(extra.undoes !== undefined && { undoes: extra.undoes }),
      reason: row.reason,
    },
  });
}
