// How a run is named where people read it. Pure.

/**
 * What a run evaluated: the version, and the candidate partials it was rendered with instead of the
 * environment's ("support-reply v1 with shared/tone v2"), so a partial's gate run says which partial.
 */
export const runSubject = (r: { prompt: string; version: number; partialVersions: Record<string, number> | null }) =>
  `${r.prompt} v${r.version}${Object.entries(r.partialVersions ?? {})
    .map(([name, v]) => ` with ${name} v${v}`)
    .join("")}`;
