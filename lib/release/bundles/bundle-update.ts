// Changing a bundle (docs/decisions/bundles.md): its description and its members, in order. Used by the snapshot import
// (a snapshot's bundle replaces the target's of the same name) and PATCH /api/v1/bundles/{name}. The bundle's
// release log is kept: a release names its members by name, so a rollback of a release made before the change
// returns the members it named, and a member added since keeps what it serves.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { readEach } from "../../../db/client";
import { bundleMembers, bundles } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import type { DomainContext } from "../../context";
import { getPrompt } from "../../registry/prompts";
import { parseInput } from "../../validation";
import { bundleDescriptionSchema, createBundleInput, getBundleRow, type Bundle } from "./bundles";

export const updateBundleInput = z.object({
  prompts: createBundleInput.shape.prompts,
  description: bundleDescriptionSchema.optional(),
});

/** Sets a bundle's members (and description, when given); audited as bundle.update with both sides. */
export async function updateBundle(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof updateBundleInput>,
): Promise<Bundle> {
  const data = parseInput(updateBundleInput, input);
  // One after another inside a transaction (the snapshot import's): a connection runs one query at a time.
  const members = await readEach(ctx.db, data.prompts, (n) => getPrompt(ctx.db, ctx.projectId, n));
  return ctx.db.transaction(async (tx) => {
    // The row lock orders concurrent changes of the same bundle (getBundleRow answers 404 when there is none).
    await tx
      .select({ id: bundles.id })
      .from(bundles)
      .where(and(eq(bundles.projectId, ctx.projectId), eq(bundles.name, name)))
      .for("update");
    const before = await getBundleRow(tx, ctx.projectId, name);
    const description = data.description ?? before.description;
    if (description !== before.description)
      await tx.update(bundles).set({ description }).where(eq(bundles.id, before.id));
    await tx.delete(bundleMembers).where(eq(bundleMembers.bundleId, before.id));
    await tx
      .insert(bundleMembers)
      .values(members.map((p, position) => ({ bundleId: before.id, promptId: p.id, position })));
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "bundle.update",
      objectType: "bundle",
      objectId: before.id,
      before: { description: before.description, prompts: before.members.map((m) => m.name) },
      after: { description, prompts: data.prompts },
    });
    return { ...before, description, members };
  });
}
