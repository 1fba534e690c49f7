import { revalidatePath } from "next/cache";
import type { ActionContext } from "@/lib/server/actions/action";

// Bodies for the dashboard's actions (actionFrom, projectAction): a write, then every page of the project reloads.

/** Reloads every page of the project after a write (the layout's counts included). */
export const refreshProject = (c: ActionContext) => revalidatePath(`/${c.project.slug}`, "layout");

/** An action's body that writes: runs `write`, reloads the project's pages, and answers what `write` answered. */
export function refreshing<In, O>(write: (c: ActionContext, input: In) => Promise<O>) {
  return async (c: ActionContext, input: In) => {
    const answer = await write(c, input);
    refreshProject(c);
    return answer;
  };
}

/**
 * An action's body on one thing the input names by `key` (a prompt's or bundle's name, an experiment's id; REST
 * takes it from the path): calls `op` with it and the rest of the input, reloads the project's pages, and answers
 * `answer` of what `op` returned.
 */
export function keyed<K extends string, T, In, R, O>(
  key: K,
  op: (domain: ActionContext["domain"], target: T, input: In) => Promise<R>,
  answer: (result: R, input: In) => O,
) {
  return refreshing(async (c, all: In & Record<K, T>) => {
    const { [key]: target, ...input } = all;
    return answer(await op(c.domain, target as T, input as In), input as In);
  });
}
