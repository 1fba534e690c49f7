// A bundle release as an experiment's arm (docs/decisions/bundles.md): arms are whole sets of versions ({key, weight,
// versions: {member: version}}); each member whose version differs between arms gets an experiment of its own, all with
// ONE seed and the same weights, coverage and metrics, marked with the bundle's group, so a subject is in the
// same arm of every member. The group starts, is reweighted and stops as one (bundle-group.ts: the existing
// experiment endpoints on any member act on all of them); shipping an arm is one bundle release. Namespaces
// and bandits are not bundled: the members would compete for one share, and a bandit's assignment is its own.
import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { experiments } from "../../../db/schema";
import { AppError, isAppError } from "../../errors";
import { withTx, type DomainContext } from "../../context";
import { promptNameSchema } from "../../registry/names";
import { versionNumber } from "../../number-params";
import { assertCoversMembers, getBundleRow } from "../../release/bundles/bundles";
import { environmentNameSchema } from "../../release/environments";
import { bundleGroupsOf } from "./bundle-list";
import { experimentModes } from "../definition";
import { createExperiment, groupOf, type Experiment } from "../store";
import { experimentDto } from "../dto";

const armInput = z.object({
  key: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, { error: "an arm's key is 1–32 letters, digits, '_' or '-'" }),
  weight: z.number().min(0).max(1),
  versions: z.record(promptNameSchema, versionNumber(), { error: "versions must map each member's name to a version" }),
});

/** The experiment's own fields (name, primaryMetric, mode, guardrails, …) as for one prompt, with arms of versions. */
export const createBundleExperimentInput = z
  .object({
    environment: environmentNameSchema,
    arms: z
      .array(armInput, { error: "arms must be a list of {key, weight, versions}" })
      .min(2, { error: "arms must have at least 2 entries" })
      .max(5, { error: "arms must have at most 5 entries" }),
  })
  .passthrough();

const instant = z.iso.datetime({ offset: true });

/** A bundle's experiment as the API answers it (bundleExperimentDto): its arms and each member's experiment. */
export const bundleExperimentSchema = z.object({
  id: z.string(),
  bundle: z.string(),
  environment: z.string(),
  name: z.string(),
  status: z.enum(["draft", "running", "stopped"]),
  mode: z.enum(experimentModes),
  primaryMetric: z.object({ name: z.string(), kind: z.string() }),
  arms: z.array(z.object({ key: z.string(), weight: z.number(), versions: z.record(z.string(), z.number().int()) })),
  members: z.array(z.object({ prompt: z.string(), experiment: z.string(), status: z.string() })),
  decision: z.record(z.string(), z.unknown()).nullable(),
  startedAt: instant.nullable(),
  stoppedAt: instant.nullable(),
});

export function bundleExperimentDto(bundle: string, group: string, all: Experiment[]) {
  const members = [...all].sort((a, b) => a.prompt.localeCompare(b.prompt));
  const lead = members[0]!;
  const dto = experimentDto(lead);
  return {
    id: group,
    bundle,
    environment: lead.environment,
    name: lead.name,
    status: dto.status,
    mode: lead.mode,
    primaryMetric: lead.primaryMetric,
    arms: lead.variants.map((v) => ({
      key: v.key,
      weight: v.weight,
      versions: Object.fromEntries(members.map((m) => [m.prompt, m.variants.find((x) => x.key === v.key)!.version])),
    })),
    members: members.map((m) => ({ prompt: m.prompt, experiment: m.id, status: m.status })),
    decision: lead.decision,
    startedAt: lead.startedAt?.toISOString() ?? null,
    stoppedAt: lead.stoppedAt?.toISOString() ?? null,
  };
}

/** Creates the group not started (one experiment per member its arms change), in one transaction. */
export async function createBundleExperiment(ctx: DomainContext, name: string, input: unknown) {
  const r = createBundleExperimentInput.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const field = i.path.map(String).join(".");
    throw new AppError("unprocessable", field ? `${field}: ${i.message}` : i.message, { field });
  }
  const { environment, arms, ...definition } = r.data;
  for (const field of ["namespace", "prompt", "variants", "seed"] as const)
    if (field in definition)
      throw new AppError(
        "unprocessable",
        field === "namespace"
          ? "namespace: a bundle's experiment cannot own a namespace share (its members would compete for it)"
          : `${field}: a bundle's experiment takes arms of versions, not ${field}`,
        { field },
      );
  if (definition.mode === "bandit")
    throw new AppError("unprocessable", "mode: a bundle's experiment is fixed or sequential, not a bandit", {
      field: "mode",
    });
  const bundle = await getBundleRow(ctx.db, ctx.projectId, name);
  arms.forEach((a, i) => {
    try {
      assertCoversMembers(bundle, a.versions);
    } catch (e) {
      if (isAppError(e))
        throw new AppError(e.code, `arms.${i}.${e.message}`, { ...e.details, field: `arms.${i}.versions` });
      throw e;
    }
  });
  const changed = bundle.members.filter((m) => new Set(arms.map((a) => a.versions[m.name])).size > 1);
  if (!changed.length)
    throw new AppError(
      "unprocessable",
      "arms: every arm serves the same versions; an experiment needs arms that differ.",
      {
        field: "arms",
      },
    );
  const seed = randomBytes(8).toString("hex");
  const group = randomUUID();
  const ids = await ctx.db.transaction(async (tx) => {
    const out: string[] = [];
    for (const m of changed) {
      const variants = arms.map((a) => ({ key: a.key, weight: a.weight, version: a.versions[m.name]! }));
      const e = await createExperiment(withTx(ctx, tx), {
        ...definition,
        prompt: m.name,
        environment,
        variants,
        seed,
      } as Parameters<typeof createExperiment>[1]).catch((err: unknown) => {
        if (isAppError(err) && err.code === "unprocessable")
          throw new AppError("unprocessable", `${m.name}: ${err.message}`, { ...err.details, prompt: m.name });
        throw err;
      });
      await tx
        .update(experiments)
        .set({ bundle: { name: bundle.name, group } })
        .where(eq(experiments.id, e.id));
      out.push(e.id);
    }
    return out;
  });
  const members = (await groupOf(ctx.db, ctx.projectId, group)).filter((m) => ids.includes(m.id));
  return bundleExperimentDto(bundle.name, group, members);
}

/** A bundle's experiments (not its rollouts), newest first, at most 20. */
export async function listBundleExperiments(db: Db, projectId: string, name: string, environment?: string) {
  const { bundle, groups } = await bundleGroupsOf(db, projectId, name, "experiment", environment);
  const out = [];
  for (const g of groups) out.push(bundleExperimentDto(bundle, g, await groupOf(db, projectId, g)));
  return out;
}

/** GET /api/v1/bundles/{name}/experiments (listBundleExperiments). */
export const bundleExperimentListResponse = z.object({ experiments: z.array(bundleExperimentSchema) });
/** POST /api/v1/bundles/{name}/experiments (createBundleExperiment). */
export const bundleExperimentResponse = z.object({ experiment: bundleExperimentSchema });
