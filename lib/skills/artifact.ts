// A skill's files as one artifact, for the Agent Skills Discovery index (discovery.ts): a gzip-compressed ustar
// archive (what the `skills` CLI and the RFC's examples use) or a zip. The bytes must be the same on every
// instance and every request — the index publishes their SHA-256, and a client may fetch the index from one
// instance and the archive from another — so nothing in them depends on the clock or the platform: entries in
// one order (SKILL.md first), the version's creation time as every entry's time, owner 0, each file's mode
// (0644, or 0755 for the version's executable files), and compression by fflate (pure JavaScript at a fixed
// level: zlib's output may differ between builds).
import { createHash } from "node:crypto";
import { gzipSync, zipSync, type Zippable } from "fflate";
import { LRUCache } from "lru-cache";
import { packTar } from "modern-tar";
import { skillFileMode, sortSkillPaths, type SkillModes } from "../registry/skills/skill-files";

export const archiveFormats = ["tar.gz", "zip"] as const;
export type ArchiveFormat = (typeof archiveFormats)[number];

export type Artifact = { bytes: Uint8Array; digest: string; contentType: string };

const utf8 = new TextEncoder();

export const sha256Digest = (bytes: Uint8Array): string => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

export function artifactOf(bytes: Uint8Array, contentType: string): Artifact {
  return { bytes, digest: sha256Digest(bytes), contentType };
}

/** The archive of a skill's files (paths relative to the skill's folder, as the CLI extracts them). */
export async function buildArchive(
  files: Record<string, string>,
  format: ArchiveFormat,
  createdAt: Date,
  modes?: SkillModes,
): Promise<Artifact> {
  const mode = (p: string) => (skillFileMode(modes, p) === "0755" ? 0o755 : 0o644);
  const paths = sortSkillPaths(Object.keys(files));
  // Whole seconds: tar keeps seconds, and zip two-second steps from 1980 on.
  const mtime = new Date(Math.max(Math.floor(createdAt.getTime() / 1000), 315_532_800) * 1000);
  if (format === "zip") {
    const entries: Zippable = {};
    for (const p of paths)
      entries[p] = [utf8.encode(files[p]!), { mtime, level: 6, os: 3, attrs: (0o100000 | mode(p)) << 16 }];
    return artifactOf(zipSync(entries, { mtime }), "application/zip");
  }
  const tar = await packTar(
    paths.map((p) => {
      const body = utf8.encode(files[p]!);
      return {
        header: {
          name: p,
          size: body.length,
          type: "file" as const,
          mode: mode(p),
          mtime,
          uid: 0,
          gid: 0,
          uname: "",
          gname: "",
        },
        body,
      };
    }),
  );
  return artifactOf(gzipSync(tar, { level: 6, mtime: 0 }), "application/gzip");
}

// Versions never change, so an archive is kept by (prompt, version, format), bounded by its bytes.
const archives = new LRUCache<string, Artifact>({ maxSize: 32 * 2 ** 20, sizeCalculation: (a) => a.bytes.length || 1 });

/** buildArchive, kept for the version (its id is the prompt's id and version number). */
export async function versionArchive(
  v: { promptId: string; version: number; files: Record<string, string>; modes?: SkillModes; createdAt: Date },
  format: ArchiveFormat,
): Promise<Artifact> {
  const key = `${v.promptId}:${v.version}:${format}`;
  const hit = archives.get(key);
  if (hit) return hit;
  const built = await buildArchive(v.files, format, v.createdAt, v.modes);
  archives.set(key, built);
  return built;
}
