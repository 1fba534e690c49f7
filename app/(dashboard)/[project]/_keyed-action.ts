import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { actionFrom, type ActionContext } from "@/lib/server/actions/action";

// Shared by the dashboard's _actions.ts files: the write that names its target in the input, then refreshes.

/** Reloads every page of the project after a write (the layout's counts included). */
export const refreshProject = (c: ActionContext) => revalidatePath(`/${c.project.slug}`, "layout");

/**
 * An action from REST's endpoint on one thing the input names by `key` (a prompt's or bundle's name, an
 * experiment's id; REST takes it from the path): calls `op` with it and the rest of the input, refreshes the
 * project's pages, and answers `answer` of what `op` returned.
 */
export function keyedAction<S extends z.ZodObject, K extends keyof z.infer<S> & string, R, O>(
  from: Parameters<typeof actionFrom>[0],
  schema: S,
  key: K,
  op: (domain: ActionContext["domain"], target: z.infer<S>[K], input: Omit<z.infer<S>, K>) => Promise<R>,
  answer: (result: R, input: Omit<z.infer<S>, K>) => O,
) {
  return actionFrom(from, schema, async (c, all: z.infer<S>) => {
    const { [key]: target, ...input } = all;
    const result = await op(c.domain, target, input);
    refreshProject(c);
    return answer(result, input);
  });
}
