"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createPrompt } from "@/lib/registry/prompts";
import { projectAction } from "@/lib/server/http/action";
import { getEvents } from "@/lib/server/wiring/events";

export const createPromptAction = projectAction(
  z.object({
    name: z.string().trim().max(255),
    description: z.string().max(2000).default(""),
    tags: z.array(z.string()).max(20).default([]),
    commitMessage: z.string().max(1000).default(""),
    content: z.record(z.string(), z.unknown()),
  }),
  async (c, input) => {
    const { prompt, warnings } = await createPrompt(
      { db: c.db, actor: c.actor, projectId: c.project.id, events: await getEvents() },
      {
        ...input.content,
        name: input.name,
        description: input.description,
        tags: input.tags,
        commitMessage: input.commitMessage,
      },
    );
    revalidatePath(`/${c.project.slug}`, "layout");
    return { name: prompt.name, warnings };
  },
);
