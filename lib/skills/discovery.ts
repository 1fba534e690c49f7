// The Agent Skills Discovery index (Cloudflare's RFC, schema 0.2.0) of what an environment serves, and the
// artifacts it points at. A skill of one file is published as its SKILL.md ("skill-md"), any other as a
// .tar.gz ("archive"); each entry carries the SHA-256 of exactly the bytes its URL answers, which clients
// (the `skills` CLI) check before they install. URLs are relative to the index, so the index is the same
// whatever host or proxy it is reached through. The same skills also answer as .zip for clients that prefer it.
import { AppError } from "../errors";
import { skillEntryFile } from "../registry/skills/skill-files";
import { artifactOf, versionArchive, type ArchiveFormat, type Artifact } from "./artifact";
import type { ServedSkill } from "./live-skills";
import type { SkillSummary } from "./skill-summary";

export const discoverySchema = "https://schemas.agentskills.io/discovery/0.2.0/schema.json";

export type DiscoveryEntry = {
  name: string;
  type: "skill-md" | "archive";
  description: string;
  url: string;
  digest: string;
};
export type DiscoveryIndex = { $schema: string; skills: DiscoveryEntry[] };

const utf8 = new TextEncoder();

/** The index of the skills served (each met the naming rules when it was saved). */
export function discoveryIndex(skills: SkillSummary[]): DiscoveryIndex {
  return {
    $schema: discoverySchema,
    skills: skills.map((s) => ({
      name: s.folder,
      type: s.published.type,
      description: s.frontmatter.description,
      url: s.published.url,
      digest: s.published.digest,
    })),
  };
}

/**
 * What one artifact path under `.well-known/agent-skills/` answers: `<folder>/SKILL.md`, `<folder>.tar.gz` or
 * `<folder>.zip`. `find` looks a skill up by folder among those the environment serves.
 */
export async function artifactAt(
  path: string,
  find: (folder: string) => Promise<ServedSkill | undefined>,
): Promise<Artifact> {
  const m = /^([a-z0-9-]{1,64})(?:\/(SKILL\.md)|\.(tar\.gz|zip))$/.exec(path);
  const skill = m ? await find(m[1]!) : undefined;
  if (!m || !skill) throw new AppError("not_found", `No skill artifact at ${path} in this environment.`, { path });
  if (m[2]) return artifactOf(utf8.encode(skill.files[skillEntryFile] ?? ""), "text/markdown; charset=utf-8");
  return versionArchive(skill, m[3] as ArchiveFormat);
}
