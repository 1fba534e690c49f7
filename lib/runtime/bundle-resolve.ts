// GET /api/v1/bundles/{name}/resolve (issue 42): every member of a bundle as one environment serves it, read
// in one repeatable-read transaction, so the answer is one consistent state of the deployment log — a bundle
// release commits all its members at once, and a reader sees all of them or none. Uncached: the per-prompt
// cache of resolve could hold one member from before a release and another from after.

import type { Db } from "../../db/client";
import { bundleReleasesIn, getBundle } from "../release/bundles";
import { getEnvironment } from "../release/environments";
import { loadRows } from "../registry/served";
import { loadResolved } from "./load";
import { resolvedDto } from "./resolve";

export async function resolveBundle(db: Db, projectId: string, name: string, environment: string, now = new Date()) {
  return db.transaction(
    async (tx) => {
      const bundle = await getBundle(tx, projectId, name);
      const env = await getEnvironment(tx, projectId, environment);
      const [release] = await bundleReleasesIn(tx, bundle.id, env.id, 1);
      const rows = await loadRows(
        tx,
        projectId,
        bundle.members.map((m) => m.name),
        environment,
        {},
      );
      const prompts: Record<string, ReturnType<typeof resolvedDto>> = {};
      for (const m of bundle.members) {
        const row = rows.find((r) => r.name === m.name);
        // What the deployment serves (a running experiment does not split a bundle's members).
        const r = await loadResolved(tx, projectId, m.name, environment, {
          version: row?.live_version ?? undefined,
        });
        prompts[m.name] = { ...resolvedDto(r, undefined, now), pinned: false, liveSince: liveSince(row?.live_since) };
      }
      const serves = Object.fromEntries(Object.entries(prompts).map(([n, p]) => [n, p.version]));
      return {
        bundle: bundle.name,
        environment: env.name,
        release: release
          ? {
              id: release.id,
              at: release.createdAt.toISOString(),
              action: release.action,
              versions: release.versions,
              // false when a member was released on its own since: the answer is what is served now.
              current: Object.entries(release.versions).every(([n, v]) => serves[n] === undefined || serves[n] === v),
            }
          : null,
        prompts,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

const liveSince = (v: string | Date | null | undefined) => (v ? new Date(v).toISOString() : null);
