// A dataset an environment gates on is part of that environment's release rule: its items decide which
// versions pass. Changing them (adding, editing, removing, restoring another version) is therefore a
// release decision there, and needs what deploying there needs — otherwise an editor who may not deploy
// to a protected environment could swap the gate's items for easy ones and let auto-promote do the rest
// (the same shape as a run scored with scorers of the editor's choosing; see docs/evaluation.md). A gate pinned to a dataset version is not affected by
// item changes; which prompt the dataset is tied to decides which prompts the gate applies to, so that
// needs the same, pinned or not.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { environments } from "../../../db/schema";
import { can, deployPermission } from "../../auth/permissions";
import { AppError } from "../../errors";
import type { DomainContext } from "../../context";

export async function assertMayChangeGateDataset(
  ctx: Pick<DomainContext, "actor" | "projectId"> & { db: Db },
  ds: { id: string; name: string },
  change: "items" | "prompt",
): Promise<void> {
  const gated = await ctx.db
    .select({ name: environments.name, protected: environments.protected, pinned: environments.gateDatasetVersion })
    .from(environments)
    .where(and(eq(environments.projectId, ctx.projectId), eq(environments.gateDatasetId, ds.id)));
  for (const env of gated) {
    if (change === "items" && env.pinned !== null) continue;
    const action = deployPermission(env);
    if (can(ctx.actor, action)) continue;
    const what = change === "items" ? "its items" : "the prompt it is tied to";
    throw new AppError(
      "forbidden",
      `Dataset ${ds.name} is the evaluation gate of ${env.name}: changing ${what} changes what may be released there, so it needs the right to deploy to ${env.name}${env.protected ? " (approver or higher: it is protected)" : ""}.`,
      { action, environment: env.name, dataset: ds.name },
    );
  }
}
