"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { versionNumber } from "@/lib/number-params";
import { createdVersionDto } from "@/lib/registry/dto";
import { createVersion, createVersionInput, type SaveConflictDetails } from "@/lib/registry/versions";
import { actionFrom, projectAction } from "@/lib/server/actions/action";
import * as registry from "@/lib/server/http/endpoints/registry";
import { playgroundUnsavedInput, runUnsavedPlayground } from "@/lib/evaluation/playground-unsaved";
import { callerResolver } from "@/lib/server/wiring/models-wiring";

/** A save refused as a conflict (REST's 409) carries both versions in its details, for the editor to merge. */
export type SaveConflict = SaveConflictDetails;

/** A prompt by its name, as the API's path names it (checked by the lookup, not here). */
const name = z.string().min(1).max(255);

/**
 * Saves the editor's content as a new version, answering what REST answers. A save based on an older version
 * than the latest is refused as REST's 409, with both versions in its details (SaveConflict), so the editor can
 * show what changed and merge.
 * The input is the API's (lib/registry/versions.ts) with the content kept apart; the editor always
 * says which version it started from (`fromVersion`: recorded as the new version's base, its diff against it)
 * and the latest version it knew of (`baseVersion`: a newer one is a conflict).
 */
export const saveVersionAction = actionFrom(
  registry.createVersion,
  z.object({
    ...createVersionInput.pick({ commitMessage: true }).shape,
    name,
    baseVersion: versionNumber("baseVersion"),
    fromVersion: versionNumber("fromVersion"),
    content: z.record(z.string(), z.unknown()),
  }),
  async (c, input) => {
    const saved = await createVersion(
      c.domain,
      input.name,
      {
        ...input.content,
        commitMessage: input.commitMessage,
        baseVersion: input.baseVersion,
      },
      { fromVersion: input.fromVersion },
    );
    revalidatePath(`/${c.project.slug}`, "layout");
    return createdVersionDto(saved);
  },
);

/** "Try it": runs the editor's content without saving it (lib/evaluation/playground-unsaved.ts). */
export const runUnsavedPlaygroundAction = projectAction(
  "evaluation.run",
  playgroundUnsavedInput.extend({ name }),
  async (c, { name, ...input }) => runUnsavedPlayground(c.domain, name, input, callerResolver()),
);
