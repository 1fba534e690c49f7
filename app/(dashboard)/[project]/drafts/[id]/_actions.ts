"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getPrompt } from "@/lib/registry/prompts";
import { getVersion } from "@/lib/registry/versions";
import {
  discardDraft,
  getDraft,
  mergeConflictOf,
  mergeDraft,
  mergeDraftInput,
  updateDraft,
  updateDraftInput,
} from "@/lib/release/drafts/drafts";
import { actionFrom } from "@/lib/server/actions/action";
import * as release from "@/lib/server/http/endpoints/release";
import type { DraftConflict } from "./_components/conflict-resolver";

// A draft's actions: the API's inputs (lib/release/drafts/drafts.ts) plus the draft's id, which the API takes from the path.

export type MergeOutcome =
  { merged: { version: number; threeWay: boolean; warnings: string[] } } | { conflict: DraftConflict };

const id = z.string().max(64);

export const saveDraftAction = actionFrom(
  release.updateDraft,
  updateDraftInput.extend({ id }),
  async (c, { id, ...input }) => {
    const d = await updateDraft(c.domain, id, input);
    revalidatePath(`/${c.project.slug}`, "layout");
    return { updatedAt: d.updatedAt.toISOString() };
  },
);

const mergeInput = mergeDraftInput.extend({ id, ...updateDraftInput.partial().shape });

/**
 * Merges the draft back as a new version, first saving `content` into it when given (unsaved edits,
 * or a conflict resolution with `baseVersion` = the latest version). A three-way conflict comes back
 * as data with everything needed to resolve it; nothing is saved as a version then. The input is read
 * once the role allows merging, as REST reads it after the key's scope: a viewer gets 403 either way.
 */
export const mergeDraftAction = actionFrom(
  release.mergeDraft, // and version.create, which mergeDraft checks (the same role)
  mergeInput,
  async (c, input): Promise<MergeOutcome> => {
    const ctx = c.domain;
    if (input.content) await updateDraft(ctx, input.id, { content: input.content, baseVersion: input.baseVersion });
    try {
      const r = await mergeDraft(ctx, input.id, { commitMessage: input.commitMessage });
      revalidatePath(`/${c.project.slug}`, "layout");
      return { merged: { version: r.version.version, threeWay: r.threeWay, warnings: r.warnings } };
    } catch (e) {
      const d = mergeConflictOf(e);
      if (!d) throw e;
      const { prompt } = await getDraft(c.db, c.project.id, input.id);
      const latest = await getVersion(c.db, await getPrompt(c.db, c.project.id, prompt.name), d.latestVersion);
      revalidatePath(`/${c.project.slug}`, "layout");
      return {
        conflict: {
          conflicts: d.conflicts,
          partial: d.partial,
          baseVersion: d.baseVersion,
          latestVersion: d.latestVersion,
          latest: latest.content,
          message: e instanceof Error ? e.message : "",
        },
      };
    }
  },
);

export const discardDraftAction = actionFrom(release.discardDraft, z.object({ id }), async (c, input) => {
  await discardDraft(c.domain, input.id);
  revalidatePath(`/${c.project.slug}`, "layout");
  return { discarded: true };
});
