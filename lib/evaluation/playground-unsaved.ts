// The playground for content not saved yet: the editor's "Try it" runs what is in the editor now, checked
// exactly as saving would check it (the content model, template syntax, partials, declared variables),
// rendered through the one render path with its partials as the environment serves them, and called like
// any playground run. Nothing is saved but the audit entry (version null, unsaved).
import { z } from "zod";
import { parseContent } from "../registry/content";
import { getPrompt } from "../registry/prompts";
import { checkContent } from "../registry/versions";
import { loadServedVersion } from "../runtime/render-as-served";
import { parseInput } from "../validation";
import { callServed, playgroundEnvironment, playgroundInput, type PlaygroundRun } from "./playground";

export const playgroundUnsavedInput = playgroundInput
  .omit({ version: true })
  .extend({ content: z.unknown().refine((c) => c !== undefined, { error: "content is required" }) })
  .strict();

export const runUnsavedPlayground: PlaygroundRun = async (ctx, promptName, input, resolver, signal) => {
  const { db, projectId } = ctx;
  const q = parseInput(playgroundUnsavedInput, input);
  const content = parseContent(q.content);
  const prompt = await getPrompt(db, projectId, promptName);
  // The checks a save makes: a template that would not save does not run either.
  await checkContent(db, projectId, prompt.name, content);
  // Unsaved content is live nowhere: its partials are those of the first environment, unless one is asked for.
  const environment = await playgroundEnvironment(db, projectId, prompt.id, 0, q.environment);
  const served = await loadServedVersion(db, projectId, { name: prompt.name, version: 0, content }, environment);
  return callServed(ctx, { prompt, served, version: null }, q, resolver, signal);
};
