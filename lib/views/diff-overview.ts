// The compare page (read model): which two versions to compare (the ones asked for when they exist, else the
// latest and the one before it), their diff with its breaking changes, and every version for the pickers.
import type { Db } from "../../db/client";
import { classifyDiff } from "../registry/changes/compat";
import type { PromptRow } from "../registry/prompts";
import { diffVersions, listVersionRows } from "../registry/versions";

export async function diffOverview(db: Db, prompt: PromptRow, query: { from?: string; to?: string }) {
  const latest = prompt.latestVersion;
  const clamp = (n: number, fallback: number) => (Number.isInteger(n) && n >= 1 && n <= latest ? n : fallback);
  const to = clamp(Number(query.to), latest);
  const from = clamp(Number(query.from), Math.max(1, to - 1));
  const [versions, diff] = await Promise.all([listVersionRows(db, prompt), diffVersions(db, prompt, from, to)]);
  return {
    from,
    to,
    diff,
    // Going forward (older → newer) is what applications would experience.
    breaking: from < to ? classifyDiff(diff).breaking : null,
    versions: versions.map(({ version: v }) => ({ version: v.version, commitMessage: v.commitMessage })),
  };
}
