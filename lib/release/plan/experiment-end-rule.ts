// Who may end an experiment by releasing over it (docs/decisions/experiment-end-rule.md): a promotion of its prompt in
// its environment stops it, so only its owner (who created it) or someone who manages experiments (approver and up, or
// an admin key) may make that promotion; an editor's, or a job's, is refused naming the experiment and who may
// end it. Rollbacks are not this rule's: they are approver-and-up already, and the automatic one must stop
// a regressing experiment.
import type { DomainContext } from "../../context";
import { inArray } from "drizzle-orm";
import { experiments } from "../../../db/schema";
import { can } from "../../auth/permissions";
import { AppError } from "../../errors";
import type { ReleasePlan } from "./plan";

/** Refuses (403) a release that would stop an experiment the actor may not end. */
export async function assertMayEndExperiments(ctx: DomainContext, plan: ReleasePlan): Promise<void> {
  const { db, actor } = ctx;
  if (plan.status === "live") return;
  const stopped = plan.notices.flatMap((n) => (n.kind === "stops_experiment" ? [n.experiment] : []));
  if (!stopped.length || (actor.type !== "system" && can(actor, "experiment.manage"))) return;
  const owners = new Map(
    (
      await db
        .select({ id: experiments.id, owner: experiments.createdBy })
        .from(experiments)
        .where(
          inArray(
            experiments.id,
            stopped.map((e) => e.id),
          ),
        )
    ).map((r) => [r.id, r.owner]),
  );
  const notOwned = stopped.filter((e) => actor.type !== "user" || owners.get(e.id) !== actor.id);
  if (!notOwned.length) return;
  const names = notOwned.map((e) => `“${e.name}”`).join(" and ");
  throw new AppError(
    "forbidden",
    `Releasing version ${plan.version} to ${plan.environment} would stop the experiment ${names} on ${plan.prompt}, which only the person who created it or an approver may end: ask them to stop it (or to release this version), or wait until it ends.`,
    { rule: "endExperiment", experiments: notOwned, plan },
  );
}
