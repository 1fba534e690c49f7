import { revalidatePath } from "next/cache";
import type { ActionContext } from "@/lib/server/actions/action";

// Shared by the dashboard's _actions.ts files: the write that names its target in the input, then refreshes.

/** Reloads every page of the project after a write (the layout's counts included). */
export const refreshProject = (c: ActionContext) => revalidatePath(`/${c.project.slug}`, "layout");

/**
 * An action's body (for actionFrom) on one thing the input names by `key` (a prompt's or bundle's name, an
 * experiment's id; REST takes it from the path): calls `op` with it and the rest of the input, refreshes the
 * project's pages, and answers `answer` of what `op` returned.
 */
export function keyed<K extends string, T, In, R, O>(
  key: K,
  op: (domain: ActionContext["domain"], target: T, input: In) => Promise<R>,
  answer: (result: R, input: In) => O,
) {
  return async (c: ActionContext, all: In & Record<K, T>) => {
    const { [key]: target, ...input } = all;
    const result = await op(c.domain, target as T, input as In);
    refreshProject(c);
    return answer(result, input as In);
  };
}
