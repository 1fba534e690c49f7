// A version row and what is checked before one is written: the content's syntax, partials and declared
// variables against what the partial references include when saving. Used by creating a prompt (its first
// version) and by saving the next version (versions.ts); kept apart so that neither imports the other.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { promptVersions } from "../../db/schema";
import type { Content } from "./content";
import { actorUserId, type DomainContext } from "./context";
import type { ContentDiff } from "./diff";
import type { PromptRow } from "./prompts";
import { loadPartialRefs } from "./served";
import { collectPartials, resolvePartialGraph, validateContent } from "./template";

export type VersionRow = typeof promptVersions.$inferSelect;

/**
 * What the partial references reachable from `start` include when saving: `{{> name}}` the latest
 * version, pinned references what they pin (loadPartialRefs), followed breadth-first. Keyed by reference.
 */
export async function loadPartialContents(
  db: Db,
  projectId: string,
  start: string[],
  maxDepth = 9,
): Promise<Map<string, Content>> {
  const found = new Map<string, Content>();
  let frontier = [...new Set(start)];
  for (let depth = 0; frontier.length && depth <= maxDepth; depth++) {
    const rows = await loadPartialRefs(db, projectId, frontier, null);
    const next: string[] = [];
    for (const [ref, r] of rows) {
      found.set(ref, r.content);
      for (const p of collectPartials(r.content)) if (!found.has(p)) next.push(p);
    }
    frontier = [...new Set(next)].filter((n) => !found.has(n));
  }
  return found;
}

/** Validates content before it is saved (syntax, partials, declared variables); returns warnings. */
export async function checkContent(db: Db, projectId: string, name: string, content: Content): Promise<string[]> {
  const loaded = await loadPartialContents(db, projectId, collectPartials(content));
  const graph = resolvePartialGraph({ name, content }, (n) => (n === name ? content : loaded.get(n)));
  return validateContent(content, graph.declared).warnings;
}

export async function insertVersion(
  tx: Db,
  ctx: DomainContext,
  prompt: PromptRow,
  version: number,
  content: Content,
  meta: {
    commitMessage: string;
    baseVersion: number | null;
    diff: ContentDiff;
    imported?: { author: string; createdAt: string };
  },
): Promise<VersionRow> {
  const [row] = await tx
    .insert(promptVersions)
    .values({
      promptId: prompt.id,
      version,
      content,
      commitMessage: meta.commitMessage,
      // A version imported from a snapshot keeps who made it and when, on the instance it came from.
      authorId: meta.imported ? null : actorUserId(ctx),
      authorLabel: meta.imported ? meta.imported.author : ctx.actor.label,
      baseVersion: meta.baseVersion,
      diff: meta.diff,
      ...(meta.imported ? { createdAt: sql`${meta.imported.createdAt}::timestamptz` } : {}),
    })
    .returning();
  return row!;
}
