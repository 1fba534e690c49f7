"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { versionNumber } from "@/lib/registry/numbers";
import { isAppError } from "@/lib/errors";
import type { Content } from "@/lib/registry/content";
import { createVersion } from "@/lib/registry/versions";
import { projectAction } from "@/lib/server/http/action";
import { getEvents } from "@/lib/server/wiring/events";
import { playgroundDraftInput, runDraftPlayground } from "@/lib/evaluation/playground-draft";
import { callerResolver } from "@/lib/server/wiring/models";

type Side = { version: number; content: Content; commitMessage: string };
export type SaveResult =
  | { saved: { version: number; warnings: string[] } }
  | { conflict: { baseVersion: number; latestVersion: number; base: Side; latest: Side; message: string } };

/**
 * Saves the editor's content as a new version. A save based on an older version than the latest
 * comes back as data (not an error) with both versions, so the editor can show what changed and merge.
 */
export const saveVersionAction = projectAction(
  z.object({
    name: z.string().min(1).max(255),
    baseVersion: versionNumber("baseVersion"),
    commitMessage: z.string().max(1000).default(""),
    content: z.record(z.string(), z.unknown()),
  }),
  async (c, input): Promise<SaveResult> => {
    try {
      const { version, warnings } = await createVersion(
        { db: c.db, actor: c.actor, projectId: c.project.id, events: await getEvents() },
        input.name,
        {
          ...input.content,
          commitMessage: input.commitMessage,
          baseVersion: input.baseVersion,
        },
      );
      revalidatePath(`/${c.project.slug}`, "layout");
      return { saved: { version: version.version, warnings } };
    } catch (e) {
      const d = isAppError(e) && e.code === "conflict" ? e.details : undefined;
      if (d && typeof d.latestVersion === "number" && d.latest && d.base)
        return {
          conflict: {
            baseVersion: input.baseVersion,
            latestVersion: d.latestVersion,
            base: d.base as Side,
            latest: d.latest as Side,
            message: e instanceof Error ? e.message : "",
          },
        };
      throw e;
    }
  },
);

/** "Try it": runs the editor's content without saving it (lib/evaluation/playground-draft.ts). */
export const runDraftPlaygroundAction = projectAction(
  playgroundDraftInput.extend({ name: z.string().min(1).max(255) }),
  async (c, { name, ...input }) => runDraftPlayground(c.db, c.actor, c.project.id, name, input, callerResolver()),
);
