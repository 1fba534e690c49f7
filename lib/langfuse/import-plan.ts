// What importing one Langfuse prompt would do, from the source and the project's current state: the
// versions to insert (with deleted copies for Langfuse's gaps) and the label moves. Writes nothing.
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { assertSafeValue } from "../input-safety";
import { AppError, isAppError } from "../errors";
import { parseContent, type Content } from "../registry/content";
import type { DomainContext } from "../context";
import { deepEqual } from "../registry/json";
import { isPromptName, newPromptNameProblem, promptNameError } from "../registry/names";
import { findPrompt, type PromptRow } from "../registry/prompts";
import { versionLabelSchema } from "../release/version-labels/version-labels";
import { contentFromLangfuse, latestLabel } from "./mapping";
import type { SourcePrompt, SourceVersion } from "./import-source";

export interface PromptReport {
  name: string;
  /** created / updated: versions or labels were (or, in a dry run, would be) added; skipped: nothing was. */
  outcome: "created" | "updated" | "unchanged" | "skipped";
  /** Langfuse version numbers imported. */
  versions: number[];
  /** Numbers Langfuse skips (versions deleted there), filled with deleted copies. */
  filled: number[];
  /**
   * Label moves: the label, the version it names afterwards, and before (null: nothing); `kind` says whether
   * it is an environment of this project (moved by a promotion, its rules apply) or a version label.
   */
  labels: { label: string; kind: "environment" | "version"; version: number; from: number | null }[];
  /** What could not be mapped (the prompt is imported without it). */
  unmapped: string[];
  /** Why the prompt was skipped. */
  error?: string;
}

export interface Planned {
  report: PromptReport;
  existing: PromptRow | undefined;
  contents: Map<number, Content>;
  /** Versions to insert, in order: Langfuse's, and deleted copies for its gaps. */
  inserts: { version: number; content: Content; source?: SourceVersion }[];
  moves: { label: string; version: number }[];
  tags: string[];
}

/** Where each label of a prompt points now: environments' live versions and version labels. */
async function labelsNow(ctx: DomainContext, existing: PromptRow | undefined): Promise<Map<string, number>> {
  if (!existing) return new Map();
  const rows = await queryRows<{ label: string; version: number }>(
    ctx.db,
    sql`select label, version from (
          select distinct on (d.environment_id) e.name as label, d.version from deployments d
          join environments e on e.id = d.environment_id where d.prompt_id = ${existing.id}
          order by d.environment_id, d.id desc
        ) live
        union all select label, version from version_labels where prompt_id = ${existing.id}`,
  );
  return new Map(rows.map((r) => [r.label, r.version]));
}

function sameContent(a: Content, b: Content): boolean {
  const body = (c: Content) => (c.type === "skill" ? c.files : c.template);
  return a.type === b.type && deepEqual(body(a), body(b)) && deepEqual(a.config, b.config);
}

/**
 * What importing one prompt would do, from the source and the project's current state (`environments`: the
 * project's environment names); writes nothing.
 */
export async function planPrompt(ctx: DomainContext, sp: SourcePrompt, environments: Set<string>): Promise<Planned> {
  const report: PromptReport = {
    name: sp.name,
    outcome: "unchanged",
    versions: [],
    filled: [],
    labels: [],
    unmapped: [],
  };
  const planned: Planned = { report, existing: undefined, contents: new Map(), inserts: [], moves: [], tags: [] };
  const skip = (error: string) => {
    report.outcome = "skipped";
    report.error = error;
    return planned;
  };
  if (!isPromptName(sp.name)) return skip(promptNameError(sp.name));
  if (sp.error) return skip(sp.error);
  const invalid = parseVersions(sp, planned);
  if (invalid) return skip(invalid);
  const newest = sp.versions.at(-1)!;
  planned.tags = newest.tags;

  const existing = await findPrompt(ctx.db, ctx.projectId, sp.name);
  planned.existing = existing;
  const newName = existing ? undefined : newPromptNameProblem(sp.name);
  if (newName) return skip(newName);
  if (existing?.deletedAt) return skip("deleted (archived) in this project: it is not imported again");
  const have = new Map<number, Content>();
  if (existing)
    for (const r of await queryRows<{ version: number; content: Content }>(
      ctx.db,
      sql`select version, content from prompt_versions where prompt_id = ${existing.id} order by version`,
    ))
      have.set(r.version, r.content);
  const latest = existing?.latestVersion ?? 0;
  for (const v of sp.versions) {
    const mine = have.get(v.version);
    if (mine && !sameContent(mine, planned.contents.get(v.version)!))
      return skip(
        `version ${v.version} differs from this project's version ${v.version} (the histories diverged); nothing was imported for this prompt`,
      );
  }
  planInserts(planned, sp, have.get(latest), latest);

  // Labels as they are now in Langfuse; latest is Lectern's own (the newest version). A label that names
  // an environment here moves it; any other is kept as a version label.
  const live = await labelsNow(ctx, existing);
  planLabels(planned, sp, live, environments);
  if (planned.inserts.length || planned.moves.length) report.outcome = existing ? "updated" : "created";
  return planned;
}

/** Each source version's content, checked as a request body is; the first version that does not parse says why. */
function parseVersions(sp: SourcePrompt, planned: Planned): string | null {
  for (const v of sp.versions) {
    try {
      const config = v.config === null || v.config === undefined ? {} : v.config;
      if (typeof config !== "object" || Array.isArray(config))
        throw new AppError("invalid_input", "config must be an object");
      // What arrives from another server is checked as a request body is: depth, NUL characters.
      assertSafeValue(v.prompt, "prompt");
      assertSafeValue(config, "config");
      planned.contents.set(
        v.version,
        parseContent(
          contentFromLangfuse({ type: v.type, prompt: v.prompt, config: config as Record<string, unknown> }),
        ),
      );
    } catch (e) {
      if (!isAppError(e)) throw e;
      return `version ${v.version}: ${e.message}`;
    }
  }
  return null;
}

/** The versions after `latest` (Lectern's newest), with the source's gaps filled by copies of the version before. */
function planInserts(planned: Planned, sp: SourcePrompt, before: Content | undefined, latest: number) {
  const report = planned.report;
  const fresh = sp.versions.filter((v) => v.version > latest);
  const freshByNumber = new Map(fresh.map((v) => [v.version, v]));
  // The gaps to fill are bounded where the source is read (importLimits.gapsPerPrompt).
  let previous = before;
  for (let n = latest + 1; n <= (fresh.at(-1)?.version ?? latest); n++) {
    const source = freshByNumber.get(n);
    if (source) {
      previous = planned.contents.get(n)!;
      planned.inserts.push({ version: n, content: previous, source });
      report.versions.push(n);
    } else {
      // A gap: a copy of the version before it (or of the first one, when the gap opens the history).
      const copy = previous ?? planned.contents.get(fresh[0]!.version)!;
      planned.inserts.push({ version: n, content: copy });
      report.filled.push(n);
    }
  }
}

/** Labels that name an environment here move it; others are kept as version labels. */
function planLabels(planned: Planned, sp: SourcePrompt, live: Map<string, number>, environments: Set<string>) {
  const report = planned.report;
  for (const v of sp.versions)
    for (const label of v.labels) {
      if (label === latestLabel) continue;
      const kind = environments.has(label) ? "environment" : "version";
      const refused = kind === "version" && versionLabelSchema.safeParse(label).error;
      if (refused) {
        report.unmapped.push(`label ${label} (on version ${v.version}): ${refused.issues[0]!.message}`);
        continue;
      }
      if (live.get(label) === v.version) continue;
      planned.moves.push({ label, version: v.version });
      report.labels.push({ label, kind, version: v.version, from: live.get(label) ?? null });
    }
}
