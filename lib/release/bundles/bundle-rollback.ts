// A bundle's rollback: every member returns to what it served before the bundle's latest release (or rollback)
// there, in one transaction. Undoing a rollback releases the versions it rolled back
// (docs/decisions/rolled-back-versions.md), so, as for one prompt (../rollback.ts) and a bundle's release (the plan's
// rolled_back step), a person confirms it and a job never does; one refusal names every member, before anything is
// written.
import { withTx, type DomainContext } from "../../context";
import { z } from "zod";
import type { BundleVersions } from "../../../db/schema";
import { AppError } from "../../errors";
import type { PromptRow } from "../../registry/prompts";
import { parseInput } from "../../validation";
import { auditRelease, insertRelease, type BundleReleaseRow } from "./bundle-log";
import { BufferedEvents } from "../../announcements";
import { bundleReleasesIn, getBundleRow, lockMembers, type Bundle } from "./bundles";
import { experimentActionInput } from "../composing";
import { liveDeployment } from "../deployments";
import { environmentNameSchema, getEnvironmentRow, type EnvironmentRow } from "../environments";
import { personConfirmed, rollbackOf, type RollbackFact } from "../plan/plan-rolled-back";
import { confirmRolledBackInput, reasonInput } from "../promote";
import { rollbackPrompt } from "../rollback";

export const rollbackBundleInput = z.object({
  environment: environmentNameSchema,
  reason: reasonInput,
  /** Undoing a rollback releases the versions it rolled back: a person confirms that. */
  confirmRolledBack: confirmRolledBackInput,
  experimentAction: experimentActionInput,
});

/**
 * Undoes the bundle's latest release (or rollback) in the environment: every member returns to what it
 * served just before it, in one transaction. A member that served nothing before keeps what it serves (a
 * rollback never leaves an environment serving nothing). 409 when the bundle was never released there.
 */
export async function rollbackBundle(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof rollbackBundleInput>,
): Promise<BundleReleaseRow> {
  const data = parseInput(rollbackBundleInput, input);
  const bundle = await getBundleRow(ctx.db, ctx.projectId, name);
  const env = await getEnvironmentRow(ctx.db, ctx.projectId, data.environment);
  const buffer = new BufferedEvents();
  const row = await ctx.db.transaction(async (tx) => {
    await lockMembers(tx, bundle.members);
    const [latest] = await bundleReleasesIn(tx, bundle.id, env.id, 1);
    if (!latest)
      throw new AppError("conflict", `Bundle ${bundle.name} was never released in ${env.name}: nothing to roll back.`, {
        bundle: bundle.name,
        environment: env.name,
      });
    const versions: BundleVersions = {};
    const previous: Record<string, number | null> = {};
    const changed: PromptRow[] = [];
    for (const m of bundle.members) {
      const live = (await liveDeployment(tx, m.id, env.id))?.version ?? null;
      const target = latest.previous[m.name] ?? live;
      previous[m.name] = live;
      if (target === null) continue;
      versions[m.name] = target;
      if (target !== live) changed.push(m);
    }
    // Undoing a rollback releases what it rolled back: the members' rollbacks would refuse one by one; say it once.
    await assertBundleNotRolledBack(withTx(ctx, tx), bundle, env, changed, versions, data.confirmRolledBack);
    const release = await insertRelease(withTx(ctx, tx), bundle, env, { versions, previous }, "rollback", data.reason);
    const inner = withTx(ctx, tx, buffer);
    for (const m of changed)
      await rollbackPrompt(
        inner,
        m.name,
        {
          environment: env.name,
          version: versions[m.name],
          reason: `Bundle ${bundle.name}: undo release ${latest.id}${data.reason ? `: ${data.reason}` : ""}`,
          confirmRolledBack: data.confirmRolledBack,
          experimentAction: data.experimentAction,
        },
        { partOf: { name: bundle.name, release: release.id } },
      );
    await auditRelease(withTx(ctx, tx), bundle, env, release, {
      changed: changed.map((m) => m.name),
      undoes: latest.id,
    });
    return release;
  });
  await buffer.flush(ctx.events);
  return row;
}

/** 409 rolled_back naming every member whose target version was rolled back there, unless a person confirmed. */
async function assertBundleNotRolledBack(
  ctx: DomainContext,
  bundle: Bundle,
  env: EnvironmentRow,
  changed: PromptRow[],
  versions: BundleVersions,
  confirm: boolean,
) {
  if (personConfirmed(ctx.actor, confirm)) return;
  const again: { prompt: string; version: number; rolledBack: RollbackFact }[] = [];
  for (const m of changed) {
    const fact = await rollbackOf(ctx.db, m.id, env.id, versions[m.name]!);
    if (fact) again.push({ prompt: m.name, version: versions[m.name]!, rolledBack: fact });
  }
  if (!again.length) return;
  throw new AppError(
    "rolled_back",
    `Rolling bundle ${bundle.name} back in ${env.name} would release again what was rolled back there: ${again
      .map((a) => `${a.prompt} v${a.version} (rolled back ${a.rolledBack.at.slice(0, 16).replace("T", " ")} UTC)`)
      .join(", ")}. A person confirms that (confirmRolledBack: true); nothing was changed.`,
    { rule: "rolledBack", field: "confirmRolledBack", bundle: bundle.name, environment: env.name, members: again },
  );
}
