// What importing one source prompt would do, from the source and this project's state; writes nothing. Each
// version not imported before (imported_versions, by its id in the source) is converted and numbered after
// this prompt's newest; one that cannot be converted is refused, named, and the others go on. Each label is
// planned as labels.ts says.
import { and, eq, sql } from "drizzle-orm";
import { queryRows } from "../../../db/client";
import { importedVersions } from "../../../db/schema";
import type { DomainContext } from "../../context";
import { isAppError } from "../../errors";
import type { Content } from "../../registry/content";
import { FormatRefusal } from "../../registry/formats/ir";
import { importLimits } from "../../registry/imported";
import { isPromptName, promptNameError } from "../../registry/names";
import { createPromptInput, findPrompt, type PromptRow } from "../../registry/prompts";
import { foreignContent } from "./source-content";
import { listVersionLabelRows } from "../../release/version-labels/version-labels";
import { labelPlan } from "./labels";
import {
  foreignPromptSchema,
  type ForeignPrompt,
  type ForeignPromptReport,
  type ForeignSystem,
  type ForeignVersion,
} from "./types";

export interface Planned {
  report: ForeignPromptReport;
  existing: PromptRow | undefined;
  tags: string[];
  description?: string;
  inserts: { version: number; content: Content; source: ForeignVersion }[];
  /** Labels to move: an environment (promote) or a version label, to the version here, from the version there. */
  moves: { kind: "environment" | "version-label"; label: string; version: number; sourceId: string }[];
}

const emptyReport = (name: string): ForeignPromptReport => ({
  name,
  outcome: "unchanged",
  versions: [],
  labels: [],
  unmapped: [],
  versionLabels: [],
  sources: [],
  wasLiveIn: [],
});

/** What the source's prompt-level fields would be here, or why they cannot be. */
function promptProblem(sp: ForeignPrompt): string | null {
  const shape = foreignPromptSchema.safeParse(sp);
  if (!shape.success) return shape.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  if (!isPromptName(sp.name)) return promptNameError(sp.name);
  const meta = createPromptInput.pick({ description: true, tags: true }).safeParse(sp);
  if (!meta.success) return meta.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  if (sp.versions.length > importLimits.versionsPerPrompt)
    return `the source lists ${sp.versions.length.toLocaleString("en-US")} versions of it; an import takes at most ${importLimits.versionsPerPrompt.toLocaleString("en-US")} versions of one prompt`;
  const ids = new Set<string>();
  for (const v of sp.versions) {
    if (ids.has(v.sourceId)) return `version ${v.sourceId} appears twice in the source`;
    ids.add(v.sourceId);
  }
  return null;
}

async function importedBefore(ctx: DomainContext, prompt: PromptRow, system: ForeignSystem, source: string) {
  const rows = await ctx.db
    .select({ version: importedVersions.version, sourceId: importedVersions.sourceId })
    .from(importedVersions)
    .where(
      and(
        eq(importedVersions.promptId, prompt.id),
        eq(importedVersions.system, system),
        eq(importedVersions.source, source),
      ),
    );
  return new Map(rows.map((r) => [r.sourceId, r.version]));
}

async function liveVersions(ctx: DomainContext, prompt: PromptRow | undefined): Promise<Map<string, number>> {
  if (!prompt) return new Map();
  const rows = await queryRows<{ env: string; version: number }>(
    ctx.db,
    sql`select distinct on (d.environment_id) e.name as env, d.version from deployments d
        join environments e on e.id = d.environment_id where d.prompt_id = ${prompt.id}
        order by d.environment_id, d.id desc`,
  );
  return new Map(rows.map((r) => [r.env, r.version]));
}

/** Each version: unchanged (imported before), planned with its number here, or refused with why. */
function planVersions(p: Planned, sp: ForeignPrompt, before: Map<string, number>) {
  let next = p.existing?.latestVersion ?? 0;
  for (const v of sp.versions) {
    const had = before.get(v.sourceId);
    if (had !== undefined) {
      p.report.sources.push({ sourceId: v.sourceId, outcome: "unchanged", version: had });
      continue;
    }
    try {
      const { content, notes, converted } = foreignContent(v);
      p.inserts.push({ version: ++next, content, source: v });
      p.report.versions.push(next);
      p.report.unmapped.push(...notes.map((n) => `version ${v.sourceId}: ${n}`));
      p.report.sources.push({
        sourceId: v.sourceId,
        outcome: "created",
        version: next,
        ...(converted ? { convertedFrom: v.format } : {}),
      });
    } catch (e) {
      if (!(e instanceof FormatRefusal) && !isAppError(e)) throw e;
      const field = e instanceof FormatRefusal ? e.field : (e.details?.field as string | undefined);
      p.report.sources.push({
        sourceId: v.sourceId,
        outcome: "refused",
        reason: `${field ? `${field}: ` : ""}${e.message}`,
        ...(e instanceof FormatRefusal ? { construct: e.construct } : {}),
        ...(field ? { field } : {}),
      });
    }
  }
}

/** Each label on the version that holds it last in the source: a move, a note, or "was live in". */
function planLabels(p: Planned, sp: ForeignPrompt, here: LabelsHere) {
  const holder = new Map<string, ForeignVersion>();
  for (const v of sp.versions) for (const label of v.labels) holder.set(label, v);
  for (const [label, v] of holder) {
    const plan = labelPlan(label, here.environments);
    if (plan.kind === "latest") continue;
    const src = p.report.sources.find((s) => s.sourceId === v.sourceId)!;
    if (plan.kind === "unusable") {
      p.report.unmapped.push(`label ${label} (on version ${v.sourceId}) not kept: ${plan.reason}`);
      continue;
    }
    if (src.outcome === "refused") {
      const reason = `version ${v.sourceId} was refused: ${src.reason}`;
      if (plan.kind === "environment") p.report.wasLiveIn.push({ label, sourceId: v.sourceId, reason });
      else p.report.unmapped.push(`label ${label} (on version ${v.sourceId}) not kept: ${reason}`);
      continue;
    }
    const current = (plan.kind === "environment" ? here.live : here.versionLabels).get(label);
    if (current === src.version) continue;
    const move = { label, version: src.version!, from: current ?? null };
    p.moves.push({ ...move, kind: plan.kind, sourceId: v.sourceId });
    (plan.kind === "environment" ? p.report.labels : p.report.versionLabels).push(move);
  }
}

/** What labels point at here: the project's environments, and this prompt's environments and version labels. */
interface LabelsHere {
  environments: ReadonlySet<string>;
  live: Map<string, number>;
  versionLabels: Map<string, number>;
}

async function labelsHere(ctx: DomainContext, prompt: PromptRow | undefined, environments: ReadonlySet<string>) {
  const versionLabels = prompt ? await listVersionLabelRows(ctx.db, prompt.id) : [];
  return {
    environments,
    live: await liveVersions(ctx, prompt),
    versionLabels: new Map(versionLabels.map((l) => [l.label, l.version])),
  };
}

/** What importing one prompt would do; writes nothing. `environments`: the project's, by name. */
export async function planForeignPrompt(
  ctx: DomainContext,
  input: { system: ForeignSystem; source: string },
  sp: ForeignPrompt,
  environments: ReadonlySet<string>,
): Promise<Planned> {
  const p: Planned = { report: emptyReport(sp.name), existing: undefined, tags: sp.tags ?? [], inserts: [], moves: [] };
  if (sp.description) p.description = sp.description;
  const skip = (error: string) => Object.assign(p, { report: { ...p.report, outcome: "skipped" as const, error } });
  const problem = promptProblem(sp);
  if (problem) return skip(problem);
  p.existing = await findPrompt(ctx.db, ctx.projectId, sp.name);
  if (p.existing?.deletedAt) return skip("archived in this project: it is not imported again");
  const before = p.existing ? await importedBefore(ctx, p.existing, input.system, input.source) : new Map();
  if (p.existing && before.size === 0)
    return skip(
      `a prompt of this name exists here and none of its versions came from ${input.source}: nothing was imported for it (import into another folder, or rename one of them)`,
    );
  planVersions(p, sp, before);
  planLabels(p, sp, await labelsHere(ctx, p.existing, environments));
  if (!p.existing && !p.inserts.length)
    return skip("every version was refused (see sources); nothing was imported for this prompt");
  if (p.inserts.length || p.moves.length) p.report.outcome = p.existing ? "updated" : "created";
  return p;
}
