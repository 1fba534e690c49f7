"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { promptNameSchema } from "@/lib/registry/names";
import { createdPromptDto } from "@/lib/registry/dto";
import { createPrompt, createPromptInput } from "@/lib/registry/prompts";
import { actionFrom } from "@/lib/server/actions/action";
import * as registry from "@/lib/server/http/endpoints/registry";

/**
 * The API's input (lib/registry/prompts.ts), with the editor's content kept apart (createPrompt checks it)
 * and the name trimmed as typed (the form checks the trimmed name too).
 */
const createPromptActionInput = z.object({
  ...createPromptInput.pick({ description: true, tags: true, commitMessage: true }).shape,
  name: z.string().trim().pipe(promptNameSchema),
  content: z.record(z.string(), z.unknown()),
});

export const createPromptAction = actionFrom(
  registry.createPrompt,
  createPromptActionInput,
  async (c, { content, ...input }) => {
    const created = await createPrompt(c.domain, { ...content, ...input });
    revalidatePath(`/${c.project.slug}`, "layout");
    return createdPromptDto(created);
  },
);
