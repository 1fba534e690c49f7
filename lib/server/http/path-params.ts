import "server-only";
import { z } from "zod";
import { versionParam } from "@/lib/number-params";

// The path parameters of the declared endpoints (endpoint.ts, `params`): the wrapper parses each before the
// handler runs, and the OpenAPI document takes its parameters and their descriptions from these schemas. Most stay
// text on purpose: an id that is not a UUID, or a version of a prompt that does not exist, is the operation's 404.

const text = (description: string) => z.string().meta({ description });

const promptName = text("Prompt name, URL-encoded (folders use '/': encode as %2F)");
const id = (what: string) => text(`The ${what}'s id`);

export const promptParams = z.object({ name: promptName });
/** A version of a prompt: checked as a number once the prompt is found (an unknown prompt is a 404 first). */
export const promptVersionParams = z.object({ name: promptName, version: text("Version number") });
/** Langfuse's PATCH …/versions/{version} parses the version before anything is read, as Langfuse does. */
export const langfuseVersionParams = z.object({
  name: promptName,
  version: versionParam("version").meta({ description: "Version number" }),
});
/** A version label of a prompt (docs/decisions/version-labels.md): checked by the operation (400 naming the rule). */
export const versionLabelParams = z.object({
  name: promptName,
  label: text("A version label: 1–36 of a-z 0-9 _ - ., not only dots, not latest"),
});
export const bundleParams = z.object({ name: text("Bundle name") });
export const environmentParams = z.object({ name: text("Environment name") });
export const idParams = (what: string) => z.object({ id: id(what) });
export const datasetItemParams = z.object({ id: id("dataset"), itemId: id("item") });
export const deliveryParams = z.object({ id: id("webhook"), deliveryId: id("delivery") });
const skillsPath = text("The file under the skills URL: .well-known/agent-skills/index.json or what it lists");
export const skillsFileParams = z.object({
  token: text("A skills key (the skillsUrl POST /api/v1/api-keys answers holds it)"),
  path: skillsPath,
});
export const publishedSkillsFileParams = z.object({
  project: text("The project's slug (its published skills URL, PUT /api/v1/skills/published, holds it)"),
  path: skillsPath,
});
