// The Agent Skills Discovery index (Cloudflare's RFC, schema 0.2.0) of what an environment serves, and the
// artifacts it points at. A skill of one file is published as its SKILL.md ("skill-md"), any other as a
// .tar.gz ("archive"); each entry carries the SHA-256 of exactly the bytes its URL answers, which clients
// (the `skills` CLI) check before they install. URLs are relative to the index, so the index is the same
// whatever host or proxy it is reached through. The same artifacts also answer as .zip for clients that
// prefer it.
import { AppError } from "../errors";
import { skillEntryFile } from "../registry/skill-files";
import { versionArchive, artifactOf, type ArchiveFormat, type Artifact } from "./archive";
import type { ServedSkill } from "./served";

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

const isSingleFile = (s: ServedSkill) => Object.keys(s.files).length === 1;

/** The artifact of a skill as its index entry publishes it: SKILL.md alone, or the archive. */
export async function publishedArtifact(s: ServedSkill): Promise<Artifact> {
  return isSingleFile(s)
    ? artifactOf(utf8.encode(s.files[skillEntryFile] ?? ""), "text/markdown; charset=utf-8")
    : versionArchive(s, "tar.gz");
}

/** The index of the skills served (each already met the naming rules when it was saved). */
export async function discoveryIndex(skills: ServedSkill[]): Promise<DiscoveryIndex> {
  const entries: DiscoveryEntry[] = [];
  for (const s of skills) {
    const artifact = await publishedArtifact(s);
    entries.push({
      name: s.folder,
      type: isSingleFile(s) ? "skill-md" : "archive",
      description: s.frontmatter.description,
      url: isSingleFile(s) ? `${s.folder}/${skillEntryFile}` : `${s.folder}.tar.gz`,
      digest: artifact.digest,
    });
  }
  return { $schema: discoverySchema, skills: entries };
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
