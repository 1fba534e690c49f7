// The JSON of the version-label routes (GET/PUT/DELETE /api/v1/prompts/{name}/version-labels…) and their
// response schemas. The operations are in version-labels.ts.
import { z } from "zod";
import type { Db } from "../../../db/client";
import { readTogether } from "../../../db/client";
import { versionNumber } from "../../number-params";
import { getPrompt } from "../../registry/prompts";
import { listVersionLabelRows, versionLabelHistory } from "./version-labels";

const instant = z.iso.datetime({ offset: true });

/** PUT …/version-labels/{label}: where the label is to point. */
export const setVersionLabelInput = z.object({ version: versionNumber() });

export const versionLabelOutcomeResponse = z.object({
  status: z.enum(["set", "unchanged"]),
  prompt: z.string(),
  label: z.string(),
  version: z.number().int(),
  previousVersion: z.number().int().nullable(),
});

export const versionLabelRemovalResponse = z.object({
  prompt: z.string(),
  label: z.string(),
  previousVersion: z.number().int(),
});

const labelSchema = z.object({ label: z.string(), version: z.number().int(), since: instant, by: z.string() });

/** GET …/version-labels: where each label points, and the moves, newest first (version null: removed). */
export const versionLabelsResponse = z.object({
  data: z.array(labelSchema),
  history: z.array(
    z.object({
      label: z.string(),
      version: z.number().int().nullable(),
      previous: z.number().int().nullable(),
      at: instant,
      by: z.string(),
    }),
  ),
});

/** A prompt's version labels as the prompt's page and detail show them: label → where it points. */
export async function versionLabelsOf(db: Db, promptId: string): Promise<z.infer<typeof labelSchema>[]> {
  return (await listVersionLabelRows(db, promptId)).map((l) => ({
    label: l.label,
    version: l.version,
    since: l.updatedAt.toISOString(),
    by: l.actorLabel,
  }));
}

/** GET /api/v1/prompts/{name}/version-labels. */
export async function listVersionLabels(db: Db, projectId: string, name: string) {
  const prompt = await getPrompt(db, projectId, name);
  const [data, moves] = await readTogether(db, [
    () => versionLabelsOf(db, prompt.id),
    () => versionLabelHistory(db, prompt.id),
  ]);
  return {
    data,
    history: moves.map((m) => ({
      label: m.label,
      version: m.version,
      previous: m.previous,
      at: m.at.toISOString(),
      by: m.actorLabel,
    })),
  };
}

const _labels: (r: Awaited<ReturnType<typeof listVersionLabels>>) => z.input<typeof versionLabelsResponse> = (r) => r;
void _labels;
