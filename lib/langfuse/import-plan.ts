// What importing one Langfuse prompt would do, from the source and the project's current state: the
// versions to insert (with archived copies for Langfuse's gaps) and the label moves. Writes nothing.
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { assertSafeValue } from "../input-safety";
import { AppError, isAppError } from "../errors";
import { parseContent, type Content } from "../registry/content";
import type { DomainContext } from "../context";
import { deepEqual } from "../registry/json";
import { isPromptName, newPromptNameProblem, promptNameError } from "../registry/names";
import { findPrompt, type PromptRow } from "../registry/prompts";
import { environmentNameSchema } from "../release/environments";
import { contentFromLangfuse, latestLabel } from "./mapping";
import type { SourcePrompt, SourceVersion } from "./import-source";

export interface PromptReport {
  name: string;
  /** created / updated: versions or labels were (or, in a dry run, would be) added; skipped: nothing was. */
  outcome: "created" | "updated" | "unchanged" | "skipped";
  /** Langfuse version numbers imported. */
  versions: number[];
  /** Numbers Langfuse skips (versions deleted there), filled with archived copies. */
  filled: number[];
  /** Label moves: the environment, the version it serves afterwards, and before (null: nothing). */
  labels: { label: string; version: number; from: number | null }[];
  /** What could not be mapped (the prompt is imported without it). */
  unmapped: string[];
  /** Why the prompt was skipped. */
  error?: string;
}

export interface Planned {
  report: PromptReport;
  existing: PromptRow | undefined;
  contents: Map<number, Content>;
  /** Versions to insert, in order: Langfuse's, and archived copies for its gaps. */
  inserts: { version: number; content: Content; source?: SourceVersion }[];
  moves: { label: string; version: number }[];
  tags: string[];
}

function sameContent(a: Content, b: Content): boolean {
  const body = (c: Content) => (c.type === "skill" ? c.files : c.template);
  return a.type === b.type && deepEqual(body(a), body(b)) && deepEqual(a.config, b.config);
}

/** What importing one prompt would do, from the source and the project's current state; writes nothing. */
export async function planPrompt(ctx: DomainContext, sp: SourcePrompt, envNames: Set<string>): Promise<Planned> {
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
      return skip(`version ${v.version}: ${e.message}`);
    }
  }
  const newest = sp.versions.at(-1)!;
  planned.tags = newest.tags;

  const existing = await findPrompt(ctx.db, ctx.projectId, sp.name);
  planned.existing = existing;
  const newName = existing ? undefined : newPromptNameProblem(sp.name);
  if (newName) return skip(newName);
  if (existing?.archivedAt) return skip("deleted (archived) in this project: it is not imported again");
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
  const fresh = sp.versions.filter((v) => v.version > latest);
  const freshByNumber = new Map(fresh.map((v) => [v.version, v]));
  // The gaps to fill are bounded where the source is read (importLimits.gapsPerPrompt).
  let previous: Content | undefined = have.get(latest);
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

  // Labels as they are now in Langfuse; latest is Lectern's own (the newest version).
  const live = new Map<string, number>();
  if (existing)
    for (const r of await queryRows<{ env: string; version: number }>(
      ctx.db,
      sql`select distinct on (d.environment_id) e.name as env, d.version from deployments d
          join environments e on e.id = d.environment_id where d.prompt_id = ${existing.id}
          order by d.environment_id, d.id desc`,
    ))
      live.set(r.env, r.version);
  for (const v of sp.versions)
    for (const label of v.labels) {
      if (label === latestLabel) continue;
      if (!environmentNameSchema.safeParse(label).success) {
        report.unmapped.push(
          `label ${label} (on version ${v.version}): not a possible environment name (1–36 lowercase letters, digits, '-' or '_')`,
        );
        continue;
      }
      if (live.get(label) === v.version) continue;
      planned.moves.push({ label, version: v.version });
      report.labels.push({ label, version: v.version, from: live.get(label) ?? null });
      envNames.add(label);
    }
  if (planned.inserts.length || planned.moves.length) report.outcome = existing ? "updated" : "created";
  return planned;
}
