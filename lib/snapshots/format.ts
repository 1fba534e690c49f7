// The project snapshot: everything needed to rebuild a project's registry and release state on another
// Lectern instance so that it answers resolve requests identically. Versioned by `format`: a later
// format (bundles; later experiments) gets a new number, and an importer refuses formats it does not know
// instead of silently dropping sections.
import { guardedRolloutInput } from "../release/rollout-rule";
import { z } from "zod";
import { AppError } from "../errors";
import { contentSchema, type Content } from "../registry/content";
import { prepareSkillFiles, skillProblems } from "../registry/skills/skill-files";
import { promptNameSchema } from "../registry/names";
import { maxVersion } from "../number-params";
import { bundleDescriptionSchema, bundleNameSchema, createBundleInput } from "../release/bundles/bundles";
import { environmentNameSchema } from "../release/environments";
import { versionLabelSchema } from "../release/version-labels/version-labels";

/** Format 1: environments, prompts, datasets. Format 2 adds bundles. This server reads both. */
export const supportedFormats = ["lectern.project/1", "lectern.project/2"] as const;
export type SnapshotFormat = (typeof supportedFormats)[number];

/**
 * The lowest format that holds a snapshot: a project without bundles still exports as format 1, which
 * older servers read; one with bundles as format 2, which they refuse rather than import without them.
 */
export const formatFor = (s: { bundles: unknown[] }): SnapshotFormat =>
  s.bundles.length ? "lectern.project/2" : "lectern.project/1";

/** PostgreSQL keeps microseconds; a Date keeps milliseconds. Instants travel as text to survive exactly. */
export const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const instant = (field: string) =>
  z
    .string({ error: `${field} must be a UTC timestamp` })
    .regex(instantPattern, { error: `${field} must be a UTC timestamp like 2026-11-22T10:00:00.123456Z` });

const versionNo = z
  .number({ error: "version must be a number" })
  .int({ error: "version must be a whole number" })
  .min(1)
  .max(maxVersion);

export const snapshotEnvironment = z.object({
  name: environmentNameSchema,
  position: z.number().int().min(0).max(1000),
  protected: z.boolean(),
  requiresReview: z.boolean(),
  requiresLiveIn: environmentNameSchema.nullable(),
  // The gate names its dataset by name, so a snapshot stays portable between instances. A gate pinned
  // to a dataset version travels unpinned: a snapshot carries the dataset's current items only.
  // Snapshots made before gates had scorers of their own import with the default scorer.
  evaluationGate: z
    .object({
      dataset: z.string().min(1).max(200),
      minScore: z.number().min(0).max(1),
      maxDrop: z.number().min(0).max(1),
      scorers: z.array(z.unknown()).max(50).optional(),
      mode: z.enum(["threshold", "paired", "both"]).default("threshold"),
    })
    .nullable()
    .default(null),
  autoPromote: z
    .object({ minScore: z.number().min(0).max(1) })
    .nullable()
    .default(null),
  // Snapshots made before the shadow rule import without it.
  requiresShadow: z
    .object({ minInputs: z.number().int().min(5).max(100_000) })
    .nullable()
    .default(null),
  // Snapshots made before the guarded-rollout rule import without it.
  guardedRollout: guardedRolloutInput.nullable().default(null),
});

export const snapshotVersion = z.object({
  version: versionNo,
  // Parsed again on import: a snapshot is untrusted input like any API body.
  content: z.unknown(),
  commitMessage: z.string().max(1000),
  author: z.string().max(500),
  baseVersion: versionNo.nullable(),
  createdAt: instant("createdAt"),
});

export const deploymentActions = ["promote", "rollback", "auto_rollback", "auto_promote"] as const;

export const snapshotDeployment = z.object({
  environment: environmentNameSchema,
  version: versionNo,
  action: z.enum(deploymentActions, { error: `action must be one of ${deploymentActions.join(", ")}` }),
  actor: z.string().max(500),
  reason: z.string().max(1000),
  at: instant("at"),
});

export const snapshotPrompt = z.object({
  name: promptNameSchema,
  description: z.string().max(2000),
  tags: z.array(z.string().max(50)).max(20),
  targetModel: z.string().max(100).nullable(),
  /** When the prompt was deleted (its every version deleted); null while it is not. The file's name for it. */
  archivedAt: instant("archivedAt").nullable(),
  createdAt: instant("createdAt"),
  versions: z.array(snapshotVersion).min(1, { error: "a prompt needs at least version 1" }),
  /** The whole deployment log of this prompt, oldest first. */
  deployments: z.array(snapshotDeployment),
  /** Versions deleted, e.g. through the Langfuse-compatible API (the file's name for them). Older servers ignore it. */
  archivedVersions: z.array(versionNo).default([]),
  /** Version labels and the version each names (older servers ignore them; older snapshots have none). */
  versionLabels: z
    .array(z.object({ label: versionLabelSchema, version: versionNo }))
    .max(1000)
    .default([]),
});

// A dataset travels with the items of its current version (items are checked again on import).
export const snapshotDataset = z.object({
  name: z.string().min(1).max(100),
  description: z.string().max(2000).default(""),
  prompt: z.string().max(255).nullable().default(null),
  items: z.array(z.unknown()).max(100_000),
});

// A bundle travels as its name, description and members in order (its release log stays behind: the
// members' deployment logs carry what was served). Format 2.
export const snapshotBundle = z.object({
  name: bundleNameSchema,
  description: bundleDescriptionSchema.default(""),
  prompts: createBundleInput.shape.prompts,
});

export const snapshotInput = z.object({
  format: z.string({ error: "format is required" }),
  exportedAt: instant("exportedAt").optional(),
  project: z.object({ slug: z.string(), name: z.string() }).optional(),
  environments: z.array(snapshotEnvironment),
  prompts: z.array(snapshotPrompt),
  datasets: z.array(snapshotDataset).default([]),
  // Absent in format 1.
  bundles: z.array(snapshotBundle).default([]),
});

export type SnapshotEnvironment = z.infer<typeof snapshotEnvironment>;
export type SnapshotDeployment = z.infer<typeof snapshotDeployment>;
export type SnapshotVersion = Omit<z.infer<typeof snapshotVersion>, "content"> & { content: Content };
export type SnapshotPrompt = Omit<z.infer<typeof snapshotPrompt>, "versions"> & { versions: SnapshotVersion[] };
export interface ProjectSnapshot {
  format: SnapshotFormat;
  exportedAt?: string;
  project?: { slug: string; name: string };
  environments: SnapshotEnvironment[];
  prompts: SnapshotPrompt[];
  datasets: SnapshotDataset[];
  bundles: SnapshotBundle[];
}
export type SnapshotDataset = z.infer<typeof snapshotDataset>;
export type SnapshotBundle = z.infer<typeof snapshotBundle>;

const invalid = (field: string, message: string) => new AppError("invalid_input", `${field}: ${message}`, { field });

/**
 * Checks what the schema cannot: the format is one we read, names are unique, versions are numbered
 * 1..n without gaps, contents are valid, and deployments point at versions and environments the
 * snapshot has. Returns the snapshot with parsed contents. (A bundle's members may be in the snapshot or
 * already in the target project: the import plan checks them.)
 */
export function checkSnapshot(input: z.infer<typeof snapshotInput>): ProjectSnapshot {
  if (!(supportedFormats as readonly string[]).includes(input.format))
    throw new AppError(
      "invalid_input",
      `format ${JSON.stringify(input.format)} is not one this server reads (${supportedFormats.join(", ")}); a newer Lectern may have written it.`,
      { field: "format" },
    );
  const envNames = new Set<string>();
  input.environments.forEach((e, i) => {
    if (envNames.has(e.name)) throw invalid(`environments[${i}].name`, `environment ${e.name} appears twice`);
    envNames.add(e.name);
  });
  input.environments.forEach((e, i) => {
    if (e.requiresLiveIn !== null && !envNames.has(e.requiresLiveIn))
      throw invalid(`environments[${i}].requiresLiveIn`, `names ${e.requiresLiveIn}, which is not in the snapshot`);
    if (e.requiresLiveIn === e.name)
      throw invalid(`environments[${i}].requiresLiveIn`, "cannot name the environment itself");
  });
  const promptNames = new Set<string>();
  const prompts = input.prompts.map((p, i): SnapshotPrompt => {
    const at = `prompts[${i}] (${p.name})`;
    if (promptNames.has(p.name)) throw invalid(`${at}.name`, `prompt ${p.name} appears twice`);
    promptNames.add(p.name);
    const versions = p.versions.map((v, j) => checkVersion(p, v, j, at));
    checkReferences(p, at, versions.length, envNames);
    return { ...p, versions };
  });
  const datasetNames = new Set<string>();
  input.datasets.forEach((d, i) => {
    if (datasetNames.has(d.name)) throw invalid(`datasets[${i}].name`, `dataset ${d.name} appears twice`);
    datasetNames.add(d.name);
  });
  input.environments.forEach((e, i) => {
    if (e.evaluationGate && !datasetNames.has(e.evaluationGate.dataset))
      throw invalid(
        `environments[${i}].evaluationGate.dataset`,
        `names ${e.evaluationGate.dataset}, which is not in the snapshot's datasets`,
      );
  });
  const bundleNames = new Set<string>();
  input.bundles.forEach((b, i) => {
    if (bundleNames.has(b.name)) throw invalid(`bundles[${i}].name`, `bundle ${b.name} appears twice`);
    bundleNames.add(b.name);
  });
  return { ...input, format: input.format as SnapshotFormat, prompts };
}

type InputPrompt = z.infer<typeof snapshotInput>["prompts"][number];

/** One version numbered in order, with valid content (a skill's checked as when saved). */
function checkVersion(p: InputPrompt, v: InputPrompt["versions"][number], j: number, at: string): SnapshotVersion {
  if (v.version !== j + 1)
    throw invalid(
      `${at}.versions[${j}].version`,
      `must be ${j + 1}: versions are numbered from 1 without gaps, oldest first`,
    );
  if (v.baseVersion !== null && v.baseVersion >= v.version)
    throw invalid(`${at}.versions[${j}].baseVersion`, "must be an earlier version");
  const parsed = contentSchema.safeParse(v.content);
  if (!parsed.success)
    throw invalid(`${at}.versions[${j}].content`, parsed.error.issues.map((x) => x.message).join("; "));
  // A skill is checked as when it is saved (its rules need the prompt's name; fields outside the specification
  // would be moved under metadata, so a version saved before that rule imports as it was); it stays a skill.
  const firstIsSkill = (p.versions[0]?.content as { type?: unknown } | undefined)?.type === "skill";
  if ((parsed.data.type === "skill") !== firstIsSkill)
    throw invalid(`${at}.versions[${j}].content.type`, "a skill's versions are all skills, and a prompt's are not");
  const problems =
    parsed.data.type === "skill" ? skillProblems(prepareSkillFiles(parsed.data.files).files, p.name) : [];
  if (problems.length) throw invalid(`${at}.versions[${j}].content`, problems.map((x) => x.message).join("; "));
  return { ...v, content: parsed.data };
}

/** A prompt's deleted versions, version labels and deployments name versions (of `count`) and environments it has. */
function checkReferences(p: InputPrompt, at: string, count: number, envNames: Set<string>) {
  p.archivedVersions.forEach((v, j) => {
    if (v > count) throw invalid(`${at}.archivedVersions[${j}]`, `version ${v} is not in the snapshot`);
  });
  const labels = new Set<string>();
  p.versionLabels.forEach((l, j) => {
    const field = `${at}.versionLabels[${j}]`;
    if (labels.has(l.label)) throw invalid(`${field}.label`, `label ${l.label} appears twice`);
    labels.add(l.label);
    if (envNames.has(l.label)) throw invalid(`${field}.label`, `${l.label} is an environment's name`);
    if (l.version > count || p.archivedVersions.includes(l.version))
      throw invalid(`${field}.version`, `version ${l.version} is not a version of the snapshot that is not deleted`);
  });
  let last = "";
  p.deployments.forEach((d, j) => {
    if (!envNames.has(d.environment))
      throw invalid(`${at}.deployments[${j}].environment`, `${d.environment} is not in the snapshot's environments`);
    if (d.version > count)
      throw invalid(`${at}.deployments[${j}].version`, `version ${d.version} is not in the snapshot`);
    if (normaliseInstant(d.at) < last)
      throw invalid(`${at}.deployments[${j}].at`, "deployments must be listed oldest first");
    last = normaliseInstant(d.at);
  });
}

/** Instants compare as text once they carry exactly six fractional digits. */
export function normaliseInstant(s: string): string {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(s);
  if (!m) return s;
  return `${m[1]}.${(m[2] ?? "").padEnd(6, "0")}Z`;
}
