"use server";

import { z } from "zod";
import type { Content } from "@/lib/registry/content";
import { loadPartialContents } from "@/lib/registry/versions";
import { scorerIssues } from "@/lib/scorers/check";
import type { ScorerIssue } from "@/lib/scorers/form";
import { projectAction } from "@/lib/server/actions/action";

// Actions shared by every editing page of a project.

/** The latest content of prompts used as partials (and of the partials they use), for live validation and preview. */
export const loadPartialsAction = projectAction(
  "prompt.read",
  z.object({ names: z.array(z.string().max(300)).max(50) }),
  async (c, input): Promise<Record<string, Content>> => {
    const found = await loadPartialContents(c.db, c.project.id, input.names);
    return Object.fromEntries(found);
  },
);

/** Every problem of a list of scorer specs, by row and option, while someone edits it (the forms' live check). */
export const checkScorersAction = projectAction(
  "prompt.read",
  z.object({ scorers: z.unknown() }),
  async (_c, input): Promise<ScorerIssue[]> => scorerIssues(input.scorers),
);
