// getSkill: an agent skill's files as an environment serves it (resolve answers a skill with `files` and no
// template). Never cached: agents read a skill when they install or load it, not on a request's hot path.
import { LecternError, LecternNetworkError } from "./errors";
import { getJson, looksResolved, type Transport } from "./http";
import { looksSkill, type SkillResponse } from "./skill-answer";
import type { GetSkillOptions, Skill } from "./types";

export function skillFromResponse(r: SkillResponse): Skill {
  return Object.freeze({
    name: r.name,
    folder: r.name.slice(r.name.lastIndexOf("/") + 1),
    version: r.version,
    environment: r.environment,
    liveSince: r.liveSince ?? null,
    files: Object.freeze({ ...r.files }),
  });
}

export async function getSkill(
  transport: Transport,
  defaultEnvironment: string,
  name: unknown,
  options: GetSkillOptions | undefined,
): Promise<Skill> {
  if (typeof name !== "string" || !name)
    throw new LecternError("getSkill takes a skill's name", { code: "invalid_input" });
  const o = options ?? {};
  if (o.environment !== undefined && (typeof o.environment !== "string" || o.environment === ""))
    throw new LecternError("environment must be a non-empty string", { code: "invalid_input" });
  if (o.version !== undefined && (!Number.isInteger(o.version) || o.version < 1))
    throw new LecternError("version must be a whole number from 1", { code: "invalid_input" });
  return skillFromResponse(await fetchSkill(transport, name, o.environment ?? defaultEnvironment, o.version));
}

/** GET resolve of a skill: its files (a prompt's answer is refused, naming getPrompt). */
async function fetchSkill(t: Transport, name: string, environment: string, version?: number) {
  const q = new URLSearchParams({ name, environment });
  if (version !== undefined) q.set("version", String(version));
  const url = `${t.baseUrl}/api/v1/prompts/resolve?${q.toString()}`;
  return getJson(t, url, `Resolving skill ${name}`, (body, status) => {
    if (looksSkill(body)) return body;
    if (looksResolved(body))
      throw new LecternError(`${name} is a ${body.type} prompt, not a skill: getPrompt reads it`, {
        code: "invalid_input",
      });
    throw new LecternNetworkError(
      `${t.baseUrl} answered ${status} with something that is not a Lectern skill (is baseUrl right?)`,
      { code: "invalid_response", status },
    );
  });
}
