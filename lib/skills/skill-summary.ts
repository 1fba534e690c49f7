// What the discovery index and the MCP listing need of a skill version, kept per version (versions never change):
// its frontmatter, each file's size and SHA-256, and the digest of the artifact the index publishes for it. With
// these kept, listing an environment's skills reads the heads (one small query) and the files of new versions only.
import { LRUCache } from "lru-cache";
import type { Db } from "../../db/client";
import {
  byteLength,
  skillEntryFile,
  skillFileMode,
  type SkillFileMode,
  type SkillFrontmatter,
} from "../registry/skills/skill-files";
import { artifactOf, sha256Digest, versionArchive } from "./artifact";
import { withFiles, type ServedSkill, type SkillHead } from "./live-skills";

export type SkillSummary = SkillHead & {
  frontmatter: SkillFrontmatter;
  files: { path: string; size: number; digest: string; mode: SkillFileMode }[];
  /** What the index publishes: SKILL.md alone for a skill of one file, else the .tar.gz. */
  published: { type: "skill-md" | "archive"; url: string; digest: string };
};

const utf8 = new TextEncoder();

const summaries = new LRUCache<string, Omit<SkillSummary, keyof SkillHead>>({ max: 5_000 });

/** The published artifact of a skill: its SKILL.md when it has one file, else its .tar.gz. */
export async function publishedArtifact(s: ServedSkill) {
  return Object.keys(s.files).length === 1
    ? artifactOf(utf8.encode(s.files[skillEntryFile] ?? ""), "text/markdown; charset=utf-8")
    : versionArchive(s, "tar.gz");
}

async function summarize(s: ServedSkill): Promise<Omit<SkillSummary, keyof SkillHead>> {
  const single = Object.keys(s.files).length === 1;
  return {
    frontmatter: s.frontmatter,
    files: Object.entries(s.files).map(([path, text]) => ({
      path,
      size: byteLength(text),
      // The one digest of lib/skills (the artifacts' too): of the UTF-8 bytes resources/read and archives give.
      digest: sha256Digest(utf8.encode(text)),
      mode: skillFileMode(s.modes, path),
    })),
    published: {
      type: single ? "skill-md" : "archive",
      url: single ? `${s.folder}/${skillEntryFile}` : `${s.folder}.tar.gz`,
      digest: (await publishedArtifact(s)).digest,
    },
  };
}

/** The summary of each head, reading the files of the versions not summarized yet in one query. */
export async function skillSummaries(db: Db, heads: SkillHead[]): Promise<SkillSummary[]> {
  const key = (h: SkillHead) => `${h.promptId}:${h.version}`;
  const missing = heads.filter((h) => !summaries.has(key(h)));
  for (const s of await withFiles(db, missing)) summaries.set(key(s), await summarize(s));
  return heads.flatMap((h) => {
    const s = summaries.get(key(h));
    return s ? [{ ...h, ...s }] : [];
  });
}
