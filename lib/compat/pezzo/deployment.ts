// GET /api/compat/pezzo/api/prompts/v2/deployment?name=&environmentName= (Pezzo's getPrompt): what the
// environment serves, read through resolve's cache, as Pezzo answers it. Framework-free: the route hands in the
// request's facts (the key's project and environments, the project header) and gets the answer back.
import { z } from "zod";
import { promptNameSchema } from "../../registry/names";
import { assertKeyMayRead } from "../../runtime/key-limits";
import { peekResolved, resolvePrompt, type ResolveDeps } from "../../runtime/resolve";
import { parseInput } from "../../validation";
import { assertPezzoProject, pezzoEnvironment, type PezzoCaller } from "./caller";
import { pezzoPromptOf, type PezzoPrompt } from "./prompt";

export const pezzoDeploymentQuery = z.object({
  name: z.string({ error: "name is required" }).max(1000).describe("The prompt's name (a folder's prompts as a/b)"),
  environmentName: z
    .string()
    .max(1000)
    .optional()
    .describe("The environment whose version to answer, in any case (Pezzo's Production is production)"),
});

/** Pezzo's getPrompt: the version `environmentName` serves, refused as resolve refuses it (limited keys included). */
export async function getPezzoPrompt(
  deps: ResolveDeps,
  caller: PezzoCaller,
  q: z.infer<typeof pezzoDeploymentQuery>,
): Promise<PezzoPrompt> {
  assertPezzoProject(caller);
  const environment = pezzoEnvironment(q.environmentName);
  const name = parseInput(promptNameSchema, q.name, "name");
  await assertKeyMayRead(deps.db, caller.project.id, caller.environments, { name, environment });
  const { resolved } = await resolvePrompt(deps, caller.project.id, { name, environment });
  return pezzoPromptOf(resolved);
}

/**
 * getPezzoPrompt on an L1 hit for a key of every environment, without an await: the same checks in the same
 * order, then the entry's answer (the same object for every call: pezzoPromptOf keeps it beside the entry).
 * Undefined when the answer needs I/O (a miss, a limited key's check); getPezzoPrompt answers it then.
 */
export function peekPezzoPrompt(
  cache: ResolveDeps["cache"],
  caller: PezzoCaller,
  q: z.infer<typeof pezzoDeploymentQuery>,
): PezzoPrompt | undefined {
  assertPezzoProject(caller);
  const environment = pezzoEnvironment(q.environmentName);
  const name = parseInput(promptNameSchema, q.name, "name");
  if (caller.environments) return undefined;
  const hit = peekResolved(cache, caller.project.id, { name, environment });
  return hit && pezzoPromptOf(hit);
}
