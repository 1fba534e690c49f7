"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getPrompt } from "@/lib/registry/prompts";
import { getVersion } from "@/lib/registry/versions";
import {
  discardDraft,
  getDraftRow,
  mergeConflictOf,
  mergeDraft,
  mergeDraftInput,
  updateDraft,
  updateDraftInput,
} from "@/lib/release/drafts/drafts";
import { draftDto, mergedDraftDto } from "@/lib/release/dto";
import { AppError } from "@/lib/errors";
import { actionFrom } from "@/lib/server/actions/action";
import * as release from "@/lib/server/http/endpoints/release";
import type { DraftConflict } from "./_components/conflict-resolver";

// A draft's actions: the API's inputs (lib/release/drafts/drafts.ts) plus the draft's id, which the API takes from the path.

/** A merge refused as a three-way conflict (REST's 409): its details, with the latest version's content. */
export type MergeConflictWithLatest = Omit<DraftConflict, "message">;

const id = z.string().max(64);

export const saveDraftAction = actionFrom(
  release.updateDraft,
  updateDraftInput.extend({ id }),
  async (c, { id, ...input }) => {
    const d = await updateDraft(c.domain, id, input);
    revalidatePath(`/${c.project.slug}`, "layout");
    return draftDto(d);
  },
);

const mergeInput = mergeDraftInput.extend({ id, ...updateDraftInput.partial().shape });

/**
 * Merges the draft back as a new version, first saving `content` into it when given (unsaved edits,
 * or a conflict resolution with `baseVersion` = the latest version), answering what REST answers. A three-way
 * conflict is REST's 409, its details adding the latest version's content (MergeConflictWithLatest): everything
 * needed to resolve it; nothing is saved as a version then. The input is read
 * once the role allows merging, as REST reads it after the key's scope: a viewer gets 403 either way.
 */
export const mergeDraftAction = actionFrom(
  release.mergeDraft, // and version.create, which mergeDraft checks (the same role)
  mergeInput,
  async (c, input) => {
    const ctx = c.domain;
    if (input.content) await updateDraft(ctx, input.id, { content: input.content, baseVersion: input.baseVersion });
    try {
      const r = await mergeDraft(ctx, input.id, { commitMessage: input.commitMessage });
      revalidatePath(`/${c.project.slug}`, "layout");
      return mergedDraftDto(r);
    } catch (e) {
      const d = mergeConflictOf(e);
      if (!d) throw e;
      const { prompt } = await getDraftRow(c.db, c.project.id, input.id);
      const latest = await getVersion(c.db, await getPrompt(c.db, c.project.id, prompt.name), d.latestVersion);
      revalidatePath(`/${c.project.slug}`, "layout");
      const details: MergeConflictWithLatest = { ...d, latest: latest.content };
      throw new AppError("conflict", e instanceof Error ? e.message : "", details);
    }
  },
);

export const discardDraftAction = actionFrom(release.discardDraft, z.object({ id }), async (c, input) => {
  await discardDraft(c.domain, input.id);
  revalidatePath(`/${c.project.slug}`, "layout");
  return { id: input.id, discarded: true as const };
});
