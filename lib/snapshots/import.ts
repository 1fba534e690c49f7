// Imports a project snapshot in one transaction: reads the target's state under locks, plans
// (snapshot-plan.ts), refuses with every conflict when histories diverged, and otherwise inserts what the
// target lacks. Versions and deployments are only ever inserted (their tables are insert-only);
// prompt details and environment rules, which are mutable settings, take the snapshot's values.
// Changes are announced after commit, like every other change to what is served.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { z } from "zod";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { withTx, type DomainContext } from "../context";
import { BufferedEvents } from "../announcements";
import { updateBundle } from "../release/bundles/bundle-update";
import { createBundle } from "../release/bundles/bundles";
import { createEnvironment, listEnvironmentRows, updateEnvironment } from "../release/environments";
import { parseInput } from "../validation";
import { createDataset, listDatasets } from "../evaluation/datasets/datasets";
import { addItems, parseUpload } from "../evaluation/datasets/items";
import { checkSnapshot, snapshotInput, type SnapshotEnvironment } from "./format";
import { applyPrompt } from "./import-prompt";
import { readTarget } from "./import-target";
import { planImport, planSummary, promptChanged, type ImportSummary } from "./snapshot-plan";
import type { MissingMember } from "./plan-bundles";

type SnapshotGate = SnapshotEnvironment["evaluationGate"];

/**
 * A snapshot's gate is the whole gate: unpinned (a snapshot carries the dataset's current items), and
 * with the default scorers when it names none (snapshots from before gates had scorers). Left out, an
 * update would keep the target's pin and scorers.
 */
const wholeGate = (g: SnapshotGate) => g && { ...g, datasetVersion: null, scorers: g.scorers ?? null };

/** A bundle naming a prompt that neither the snapshot nor the project has: the first such member, all in details. */
function missingMembers(missing: MissingMember[]) {
  const [first] = missing;
  return new AppError(
    "invalid_input",
    `${first!.field}: bundle ${first!.bundle} names prompt ${first!.prompt}, which is neither in the snapshot nor in this project; nothing was imported.`,
    { field: first!.field, bundle: first!.bundle, prompt: first!.prompt, missing },
  );
}

const named = z.object({ name: z.string(), fields: z.array(z.string()) });

/** POST /api/v1/snapshot: what the import changed (or, with dryRun, would change), by name (snapshot-plan.ts planSummary). */
export const importSummaryResponse = z.object({
  dryRun: z.boolean(),
  changed: z.boolean(),
  datasets: z.object({ created: z.array(z.string()) }),
  bundles: z.object({ created: z.array(z.string()), updated: z.array(named) }),
  environments: z.object({ created: z.array(z.string()), updated: z.array(named) }),
  prompts: z.object({
    created: z.array(z.string()),
    updated: z.array(
      z.object({
        name: z.string(),
        versions: z.array(z.number().int()),
        deployments: z.record(z.string(), z.number().int()),
        details: z.array(z.string()),
        archived: z.array(z.number().int()).optional(),
        versionLabels: z.record(z.string(), z.number().int()).optional(),
      }),
    ),
    unchanged: z.number().int(),
    ahead: z.array(
      z.object({ name: z.string(), latestVersion: z.number().int().nullable(), environments: z.array(z.string()) }),
    ),
  }),
  totals: z.object({ versions: z.number().int(), deployments: z.number().int() }),
});
const _summary: (s: ImportSummary) => z.input<typeof importSummaryResponse> = (s) => s;
void _summary;

/**
 * Imports a snapshot into ctx's project. Idempotent: importing the same snapshot again changes
 * nothing and answers `changed: false`. Diverged histories throw `conflict` with every conflict in
 * details.conflicts, and nothing is written. With dryRun, answers what would change and writes nothing.
 */
export async function importProjectSnapshot(
  ctx: DomainContext,
  input: unknown,
  opts: { dryRun?: boolean } = {},
): Promise<ImportSummary> {
  const snapshot = checkSnapshot(parseInput(snapshotInput, input));
  const dryRun = opts.dryRun ?? false;
  const buffer = new BufferedEvents();

  const summary = await ctx.db.transaction(async (tx) => {
    // One import per project at a time; saves and deployments are held off by the prompt row locks.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`lectern.snapshot-import:${ctx.projectId}`}))`);
    const target = await readTarget(tx, ctx.projectId);
    const plan = planImport(target, snapshot);
    if (plan.bundles.missing.length) throw missingMembers(plan.bundles.missing);
    if (plan.conflicts.length) {
      throw new AppError(
        "conflict",
        `The snapshot's history diverged from this project's in ${plan.conflicts.length} place${plan.conflicts.length > 1 ? "s" : ""}; nothing was imported.`,
        {
          conflicts: plan.conflicts,
        },
      );
    }
    const haveDatasets = new Set((await listDatasets(tx, ctx.projectId)).map((d) => d.name));
    const newDatasets = snapshot.datasets.filter((d) => !haveDatasets.has(d.name));
    const summary = planSummary(
      plan,
      dryRun,
      newDatasets.map((d) => d.name),
    );
    if (dryRun || !summary.changed) return summary;

    const txCtx = withTx(ctx, tx, buffer);
    await applyImport(tx, txCtx, plan, newDatasets);

    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "snapshot.import",
      objectType: "project",
      objectId: ctx.projectId,
      after: {
        format: snapshot.format,
        exportedAt: snapshot.exportedAt ?? null,
        from: snapshot.project ?? null,
        ...summary.totals,
        prompts: summary.prompts.created.length + summary.prompts.updated.length,
        bundles: summary.bundles.created.length + summary.bundles.updated.length,
      },
    });
    return summary;
  });

  await buffer.flush(ctx.events);
  return summary;
}

/** Writes the planned import: environments (their gates last), prompts, datasets, bundles. */
async function applyImport(
  tx: Db,
  txCtx: DomainContext,
  plan: ReturnType<typeof planImport>,
  newDatasets: ReturnType<typeof checkSnapshot>["datasets"],
) {
  // Created without requiresLiveIn first: it may name an environment created later in the list.
  // Gates come last: their datasets (which may be tied to prompts) are created after the prompts.
  const gateFields = ["evaluationGate", "autoPromote"] as const;
  const isGate = (f: string) => (gateFields as readonly string[]).includes(f);
  for (const e of plan.environments.create)
    await createEnvironment(txCtx, { ...e, requiresLiveIn: null, evaluationGate: null, autoPromote: null });
  for (const e of plan.environments.create)
    if (e.requiresLiveIn) await updateEnvironment(txCtx, e.name, { requiresLiveIn: e.requiresLiveIn });
  for (const u of plan.environments.update) {
    const rules = Object.fromEntries(u.fields.filter((f) => !isGate(f)).map((f) => [f, u.after[f]]));
    if (Object.keys(rules).length) await updateEnvironment(txCtx, u.name, rules);
  }
  const envIds = new Map((await listEnvironmentRows(tx, txCtx.projectId)).map((e) => [e.name, e.id]));
  for (const p of plan.prompts) if (promptChanged(p)) await applyPrompt(withTx(txCtx, tx), p, envIds);
  for (const d of newDatasets) {
    const ds = await createDataset(txCtx, { name: d.name, description: d.description, prompt: d.prompt });
    if (d.items.length)
      await addItems(txCtx, ds.id, await parseUpload(tx, ds, "json", { items: d.items }), { source: "snapshot" });
  }
  // After the prompts: a bundle's members may be prompts this import creates.
  for (const b of plan.bundles.create) await createBundle(txCtx, b);
  for (const u of plan.bundles.update)
    await updateBundle(txCtx, u.name, { prompts: u.after.prompts, description: u.after.description });
  for (const e of plan.environments.create)
    if (e.evaluationGate || e.autoPromote)
      await updateEnvironment(txCtx, e.name, {
        evaluationGate: wholeGate(e.evaluationGate),
        autoPromote: e.autoPromote,
      });
  for (const u of plan.environments.update) {
    const rules = Object.fromEntries(u.fields.filter(isGate).map((f) => [f, u.after[f]]));
    if ("evaluationGate" in rules) rules.evaluationGate = wholeGate(rules.evaluationGate as SnapshotGate);
    if (Object.keys(rules).length) await updateEnvironment(txCtx, u.name, rules);
  }
}

/** POST /api/v1/snapshot?dryRun=: plan the import without writing it. */
export const snapshotImportQuery = z.object({
  dryRun: z
    .enum(["true", "false", "1", "0"], { error: "dryRun must be true or false" })
    .optional()
    .transform((v) => v === "true" || v === "1")
    .describe("true: answer what the import would create and change, and write nothing"),
});

/** A whole project with its history is larger than any other request body. */
export const snapshotBodyLimit = 64 * 1024 * 1024;
