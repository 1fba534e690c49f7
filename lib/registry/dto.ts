// Plain JSON shapes the API and the UI return for registry rows (no Date objects, no internal ids
// beyond what clients need).
import type { PromptRow } from "./prompts";
import type { VersionRow } from "./versions";
import type { VersionPlacement } from "../release/status";

export function promptDto(p: PromptRow) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    tags: p.tags,
    targetModel: p.targetModel,
    latestVersion: p.latestVersion,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function versionDto(
  v: VersionRow,
  opts: { placement?: VersionPlacement; author?: string | null; withDiff?: boolean } = {},
) {
  const content = v.content;
  return {
    version: v.version,
    type: content.type,
    template: content.template,
    variables: content.variables,
    config: content.config,
    examples: content.examples,
    commitMessage: v.commitMessage,
    author: opts.author ?? v.authorLabel,
    baseVersion: v.baseVersion,
    createdAt: v.createdAt.toISOString(),
    ...(opts.placement
      ? { status: opts.placement.status, liveIn: opts.placement.liveIn, wasLiveIn: opts.placement.wasLiveIn }
      : {}),
    ...(opts.withDiff ? { diff: v.diff } : {}),
  };
}
