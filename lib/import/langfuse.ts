// `lectern import langfuse` and Settings → Import: copies a Langfuse project's prompts into a Lectern
// project. Every version, in order, with its number, commit message, config, tags, author and time;
// Langfuse's labels become environments (production serves afterwards what Langfuse's production label
// pointed at). Idempotent: a second run imports only versions the project lacks and moves only labels
// that moved. All or nothing per prompt: its versions and label moves are one transaction, so a version
// Lectern cannot take, or a label an environment's rules refuse, leaves that prompt as it was (and says
// why). Labels no environment can be named (a '.' in them, say) are reported and left out.
//
// Versions deleted in Langfuse leave gaps in its numbering; Lectern numbers without gaps. A gap is filled
// with a copy of the version before it, archived at once, so every number means the same version in both
// places (an application that pinned version 4 gets version 4).
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "../../db/client";
import { prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { authorize } from "../auth/permissions";
import { assertSafeValue } from "../input-safety";
import { AppError, isAppError, isUniqueViolation } from "../errors";
import { archiveVersions } from "../registry/archive";
import { parseContent, type Content } from "../registry/content";
import type { DomainContext } from "../registry/context";
import { diffContent } from "../registry/diff";
import { deepEqual } from "../registry/json";
import { isPromptName, promptNameError } from "../registry/names";
import { findPrompt, type PromptRow } from "../registry/prompts";
import { insertVersion } from "../registry/versions";
import { BufferedEvents } from "../release/buffered-events";
import type { ReleaseContext } from "../release/deployments";
import { environmentNameSchema, listEnvironments } from "../release/environments";
import { contentFromLangfuse, latestLabel } from "../runtime/langfuse";
import { moveLabel } from "../runtime/langfuse-writes";
import {
  langfuseSourceInput,
  readLangfuse,
  type Fetcher,
  type LangfuseSource,
  type SourcePrompt,
  type SourceVersion,
} from "./langfuse-source";

export { langfuseSourceInput, type Fetcher, type LangfuseSource } from "./langfuse-source";

export const importLangfuseInput = langfuseSourceInput.extend({
  dryRun: z.boolean({ error: "dryRun must be true or false" }).default(false),
  /** Only prompts in this folder (its name, or names under it). */
  folder: z.string().max(255).optional(),
});

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

export interface ImportReport {
  dryRun: boolean;
  source: string;
  environmentsCreated: string[];
  prompts: PromptReport[];
  totals: { prompts: number; imported: number; skipped: number; versions: number; labels: number };
}

const deletedInLangfuse = (n: number) =>
  `Version ${n} was deleted in Langfuse before the import: a copy of the version before it, kept archived so version numbers match Langfuse's.`;

interface Planned {
  report: PromptReport;
  existing: PromptRow | undefined;
  contents: Map<number, Content>;
  /** Versions to insert, in order: Langfuse's, and archived copies for its gaps. */
  inserts: { version: number; content: Content; source?: SourceVersion }[];
  moves: { label: string; version: number }[];
  tags: string[];
}

function sameContent(a: Content, b: Content): boolean {
  return a.type === b.type && deepEqual(a.template, b.template) && deepEqual(a.config, b.config);
}

/** What importing one prompt would do, from the source and the project's current state; writes nothing. */
async function planPrompt(ctx: DomainContext, sp: SourcePrompt, envNames: Set<string>): Promise<Planned> {
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
  let previous: Content | undefined = have.get(latest);
  for (let n = latest + 1; n <= (fresh.at(-1)?.version ?? latest); n++) {
    const source = fresh.find((v) => v.version === n);
    if (source) {
      previous = planned.contents.get(n)!;
      planned.inserts.push({ version: n, content: previous, source });
      report.versions.push(n);
    } else {
      // A gap: a copy of the version before it (or of the first one, when the gap opens the history).
      const copy = previous ?? planned.contents.get(fresh.find((v) => v.version > n)!.version)!;
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

/** Writes one planned prompt in one transaction; returns the report (skipped, with the reason, when refused). */
async function applyPrompt(ctx: ReleaseContext, p: Planned, source: string): Promise<PromptReport> {
  if (p.report.outcome === "skipped" || p.report.outcome === "unchanged") return p.report;
  const buffer = new BufferedEvents();
  try {
    await ctx.db.transaction(async (tx) => {
      const c: ReleaseContext = { ...ctx, db: tx, events: buffer };
      let prompt = p.existing;
      if (!prompt) {
        const first = p.inserts.find((i) => i.source)?.source;
        const [row] = await tx
          .insert(prompts)
          .values({
            projectId: ctx.projectId,
            name: p.report.name,
            tags: p.tags,
            latestVersion: 0,
            ...(first?.createdAt ? { createdAt: new Date(first.createdAt) } : {}),
          })
          .returning();
        prompt = row!;
      } else await tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, prompt.id)).for("update");
      let previous: Content | null = null;
      if (prompt.latestVersion > 0) {
        const [row] = await queryRows<{ content: Content }>(
          tx,
          sql`select content from prompt_versions where prompt_id = ${prompt.id} and version = ${prompt.latestVersion}`,
        );
        previous = row?.content ?? null;
      }
      let lastAt = new Date().toISOString();
      for (const i of p.inserts) {
        const at = i.source?.createdAt ?? lastAt;
        lastAt = at;
        await insertVersion(tx, c, prompt, i.version, i.content, {
          commitMessage: i.source ? i.source.commitMessage : deletedInLangfuse(i.version),
          baseVersion: i.version > 1 ? i.version - 1 : null,
          diff: diffContent(previous, i.content),
          imported: { author: i.source ? i.source.createdBy : "lectern import", createdAt: at },
        });
        previous = i.content;
      }
      const latestVersion = Math.max(prompt.latestVersion, ...p.inserts.map((i) => i.version));
      await tx
        .update(prompts)
        .set({ latestVersion, tags: p.tags, updatedAt: new Date() })
        .where(eq(prompts.id, prompt.id));
      prompt = { ...prompt, latestVersion };
      if (p.report.filled.length)
        await archiveVersions(c, prompt, p.report.filled, "Deleted in Langfuse before the import");
      const seq = await recordAudit(tx, {
        projectId: ctx.projectId,
        actor: ctx.actor,
        action: "prompt.import",
        objectType: "prompt",
        objectId: prompt.id,
        after: { name: prompt.name, versions: p.report.versions, filled: p.report.filled, source },
      });
      for (const i of p.inserts)
        await buffer.publish({
          projectId: ctx.projectId,
          prompt: prompt.name,
          environment: null,
          version: i.version,
          action: "version",
          seq,
        });
      // Promotion order: staging's live-in rule before production's.
      const position = new Map((await listEnvironments(tx, ctx.projectId)).map((e) => [e.name, e.position]));
      const moves = [...p.moves].sort(
        (a, b) => (position.get(a.label) ?? Infinity) - (position.get(b.label) ?? Infinity),
      );
      for (const m of moves) {
        try {
          await moveLabel(c, prompt, m.label, m.version, "langfuse-import");
        } catch (e) {
          if (isAppError(e))
            throw new AppError(e.code, `label ${m.label} → version ${m.version}: ${e.message}`, e.details);
          throw e;
        }
      }
    });
  } catch (e) {
    if (isUniqueViolation(e))
      return {
        ...p.report,
        outcome: "skipped",
        versions: [],
        filled: [],
        labels: [],
        error: "It was created here meanwhile; run the import again.",
      };
    if (!isAppError(e)) throw e;
    return {
      ...p.report,
      outcome: "skipped",
      versions: [],
      filled: [],
      labels: [],
      error: `${e.message} Nothing was imported for this prompt.`,
    };
  }
  await buffer.flush(ctx.events);
  return p.report;
}

/**
 * Imports (or, with dryRun, plans) a Langfuse project into ctx's project. `fetcher` reaches Langfuse
 * (fetch in production, a local server's answers in tests); `folder` limits it to one folder of names.
 */
export async function importLangfuse(
  ctx: ReleaseContext,
  source: LangfuseSource,
  opts: { fetcher: Fetcher; dryRun?: boolean; folder?: string },
): Promise<ImportReport> {
  authorize(ctx.actor, "settings.manage");
  const read = await readLangfuse(source, opts.fetcher, { folder: opts.folder });
  const before = new Set((await listEnvironments(ctx.db, ctx.projectId)).map((e) => e.name));
  const wanted = new Set<string>();
  const reports: PromptReport[] = [];
  for (const sp of read) {
    const planned = await planPrompt(ctx, sp, wanted);
    reports.push(opts.dryRun ? planned.report : await applyPrompt(ctx, planned, source.url));
  }
  const after = opts.dryRun
    ? new Set([...before, ...wanted])
    : new Set((await listEnvironments(ctx.db, ctx.projectId)).map((e) => e.name));
  const imported = reports.filter((r) => r.outcome === "created" || r.outcome === "updated");
  return {
    dryRun: Boolean(opts.dryRun),
    source: source.url,
    environmentsCreated: [...after].filter((e) => !before.has(e)).sort(),
    prompts: reports,
    totals: {
      prompts: reports.length,
      imported: imported.length,
      skipped: reports.filter((r) => r.outcome === "skipped").length,
      versions: imported.reduce((n, r) => n + r.versions.length, 0),
      labels: imported.reduce((n, r) => n + r.labels.length, 0),
    },
  };
}
