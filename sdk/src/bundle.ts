// getBundle: a bundle's members at one consistent release, and with a subject its side of the bundle's
// guarded rollout. Never cached: while a rollout ramps, an answer for one subject (every member new, or every
// member live) is not another subject's, and the consistency comes from the server's one read anyway.
import { LecternError } from "./errors";
import { fetchBundle, looksSkill, type Transport } from "./http";
import { skillFromResponse } from "./skill";
import { asPublic, deepFreeze, promptFromResponse } from "./prompt";
import type { Bundle, GetBundleOptions, Prompt, Skill } from "./types";

/** The server's limit on a subject (GET /api/v1/bundles/{name}/resolve refuses a longer one). */
export const MAX_SUBJECT_LENGTH = 256;

function checkOptions(options: unknown): GetBundleOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null)
    throw new LecternError("getBundle's options must be an object", { code: "invalid_input" });
  const o = options as GetBundleOptions;
  if (o.environment !== undefined && (typeof o.environment !== "string" || o.environment === ""))
    throw new LecternError("environment must be a non-empty string", {
      code: "invalid_input",
      details: { field: "environment" },
    });
  if (o.subject !== undefined && (typeof o.subject !== "string" || o.subject.length > MAX_SUBJECT_LENGTH))
    throw new LecternError(`subject must be a string of at most ${MAX_SUBJECT_LENGTH} characters`, {
      code: "invalid_input",
      details: { field: "subject" },
    });
  return o;
}

export async function getBundle(
  transport: Transport,
  defaultEnvironment: string,
  name: unknown,
  options: unknown,
): Promise<Bundle> {
  if (typeof name !== "string" || !name)
    throw new LecternError("getBundle takes a bundle name", { code: "invalid_input" });
  const o = checkOptions(options);
  const r = await fetchBundle(transport, name, o.environment ?? defaultEnvironment, o.subject);
  const prompts: Record<string, Prompt> = {};
  const skills: Record<string, Skill> = {};
  for (const [member, response] of Object.entries(r.prompts))
    if (looksSkill(response)) skills[member] = skillFromResponse(response);
    else prompts[member] = asPublic(promptFromResponse(deepFreeze(response), "network"));
  return {
    name: r.bundle,
    environment: r.environment,
    release: r.release,
    rollout: r.rollout ?? null,
    subject: r.subject ?? null,
    prompts,
    skills,
  };
}
