// What every importer of another system's prompts shares (`lectern import langfuse`, lib/langfuse; `lectern
// import promptlayer|langsmith|pezzo`, lib/compat/import): the bounds on what one import reads, the per-prompt
// write (the prompt, its versions with their author and time there, one audit row, in the caller's
// transaction), and the report's common shape. Label moves stay with the caller: they go through lib/release.
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "../../db/client";
import { prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { withTx, type DomainContext } from "../context";
import { AppError } from "../errors";
import type { Content } from "./content";
import { diffContent } from "./changes/diff";
import type { PromptRow } from "./prompts";
import { insertVersions, type VersionInsert } from "./version-rows";

/**
 * What one import reads at most (docs/security.md). The source chooses its numbers — pages, versions, sizes —;
 * Lectern follows them this far and no further.
 */
export const importLimits = {
  /** List pages of 100 prompts. */
  pages: 100,
  /** Versions of one prompt. */
  versionsPerPrompt: 1_000,
  /** Numbers one prompt's history skips (versions deleted in Langfuse), each filled with a deleted copy. */
  gapsPerPrompt: 100,
  /** Versions read in one import, over every prompt. */
  versions: 20_000,
  /** Bytes of answers read in one import. */
  bytes: 200 * 2 ** 20,
  /** How long one import may take, reading and writing. */
  deadlineMs: 5 * 60_000,
};

/** Why an import's signal ended it: its deadline, or the person or program that asked went away. */
export function importStopped(signal: AbortSignal): AppError {
  const timeout = (signal.reason as Error | undefined)?.name === "TimeoutError";
  return new AppError(
    "unprocessable",
    timeout
      ? `The import stopped at its deadline (${importLimits.deadlineMs / 60_000} minutes); prompts imported before it stay. Import one folder at a time (folder).`
      : "The import stopped: the request that asked for it went away. Prompts imported before that stay.",
    { field: "folder" },
  );
}

/** The signal one import runs under: its deadline, and the request that asked (its end stops the import). */
export function importSignal(asked?: AbortSignal): AbortSignal {
  const deadline = AbortSignal.timeout(importLimits.deadlineMs);
  return asked ? AbortSignal.any([asked, deadline]) : deadline;
}

/** One prompt's part of an import report, as every importer answers it. */
export const importedPromptReport = z.object({
  name: z.string(),
  /** created / updated: versions or labels were (or, in a dry run, would be) added; skipped: nothing was. */
  outcome: z.enum(["created", "updated", "unchanged", "skipped"]),
  /** The version numbers written here. */
  versions: z.array(z.number().int()),
  /** Environments moved: the version each serves afterwards, and before (null: nothing). */
  labels: z.array(z.object({ label: z.string(), version: z.number().int(), from: z.number().int().nullable() })),
  /** What could not be mapped (the prompt is imported without it). */
  unmapped: z.array(z.string()),
  /** Why the prompt was skipped. */
  error: z.string().optional(),
});

/** An import's totals, over its prompts' reports. */
export const importTotals = z.object({
  prompts: z.number().int(),
  /** Prompts created or updated. */
  imported: z.number().int(),
  skipped: z.number().int(),
  /** Versions written, and environments moved, in the prompts imported. */
  versions: z.number().int(),
  labels: z.number().int(),
});

type PromptReportShape = Pick<z.infer<typeof importedPromptReport>, "outcome" | "versions" | "labels">;

export function importTotalsOf(reports: PromptReportShape[]): z.infer<typeof importTotals> {
  const imported = reports.filter((r) => r.outcome === "created" || r.outcome === "updated");
  return {
    prompts: reports.length,
    imported: imported.length,
    skipped: reports.filter((r) => r.outcome === "skipped").length,
    versions: imported.reduce((n, r) => n + r.versions.length, 0),
    labels: imported.reduce((n, r) => n + r.labels.length, 0),
  };
}

/** A version to write: its number here, and who made it when, there. */
export interface ImportedVersion {
  version: number;
  content: Content;
  commitMessage: string;
  author: string;
  /** ISO; absent: the previous version's time (or now). */
  createdAt?: string;
  /** Default: the version before it. */
  baseVersion?: number | null;
}

/**
 * Writes an imported prompt's new versions in the caller's transaction (`c.db`; its events wait in
 * `c.events`): the prompt when it is new (dated by its first version, with its description), the versions in order with their
 * diffs, the prompt's newest number and tags, and one `prompt.import` audit row whose `after` is `audit`.
 */
export async function writeImported(
  c: DomainContext,
  existing: PromptRow | undefined,
  p: {
    name: string;
    tags: string[];
    description?: string;
    versions: ImportedVersion[];
    audit: Record<string, unknown>;
  },
): Promise<{ prompt: PromptRow; seq: number }> {
  const tx = c.db;
  let prompt = existing;
  if (!prompt) {
    const first = p.versions.find((v) => v.createdAt)?.createdAt;
    const [row] = await tx
      .insert(prompts)
      .values({
        projectId: c.projectId,
        name: p.name,
        tags: p.tags,
        ...(p.description ? { description: p.description } : {}),
        latestVersion: 0,
        ...(first ? { createdAt: new Date(first) } : {}),
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
  const rows: VersionInsert[] = p.versions.map((v) => {
    const at = v.createdAt ?? lastAt;
    lastAt = at;
    const diff = diffContent(previous, v.content);
    previous = v.content;
    return {
      version: v.version,
      content: v.content,
      commitMessage: v.commitMessage,
      baseVersion: v.baseVersion !== undefined ? v.baseVersion : v.version > 1 ? v.version - 1 : null,
      diff,
      imported: { author: v.author, createdAt: at },
    };
  });
  await insertVersions(withTx(c, tx), prompt, rows);
  const latestVersion = Math.max(prompt.latestVersion, ...p.versions.map((v) => v.version));
  await tx.update(prompts).set({ latestVersion, tags: p.tags, updatedAt: new Date() }).where(eq(prompts.id, prompt.id));
  prompt = { ...prompt, latestVersion };
  const seq = await recordAudit(tx, {
    projectId: c.projectId,
    actor: c.actor,
    action: "prompt.import",
    objectType: "prompt",
    objectId: prompt.id,
    after: { name: prompt.name, ...p.audit },
  });
  for (const v of p.versions)
    await c.events.publish({
      projectId: c.projectId,
      prompt: prompt.name,
      environment: null,
      version: v.version,
      action: "version",
      seq,
    });
  return { prompt, seq };
}
