// What an environment serves, read straight from the database: each prompt's live version (or a pinned
// one) and the partial graph it includes, as of now or of an instant. The runtime (lib/runtime/load.ts),
// the release checks and saving a version all read through here, so they agree on what is live.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { AppError } from "../errors";
import { compositionOf, partialsKey } from "./composition";
import type { Content, Variable } from "./content";
import { formatPartialRef, latestLabel, parsePartialRef, type PartialRef } from "./templates/partial-refs";
import { collectPartials, defaultMaxPartialDepth, includedPartials, resolvePartialGraph } from "./templates/template";

/** The partials a prompt includes as an environment serves them: reference → {version, text, variables}. */
export type ServedPartials = Record<string, { version: number; text: string; variables: Variable[] }>;

export type ServedRow = {
  id: string;
  name: string;
  env_id: string;
  live_version: number | null;
  live_since: string | Date | null;
  version: number | null;
  content: Content | null;
};

export async function loadRows(
  db: Db,
  projectId: string,
  names: string[],
  environment: string,
  opts: { version?: number; at?: Date },
) {
  // The same instant rule as lib/release/deployments.ts liveAt: `at` stands for its whole millisecond.
  const at = opts.at ? new Date(opts.at.getTime() + 1).toISOString() : null;
  return queryRows<ServedRow>(
    db,
    sql`select p.id, p.name, e.id as env_id, d.version as live_version, d.created_at as live_since, v.version, v.content
        from prompts p
        join environments e on e.project_id = p.project_id and e.name = ${environment}
        left join lateral (
          select version, created_at from deployments
          where prompt_id = p.id and environment_id = e.id
            and (${at}::timestamptz is null or created_at < ${at}::timestamptz)
          order by created_at desc, id desc limit 1
        ) d on true
        left join prompt_versions v on v.prompt_id = p.id and v.version = coalesce(${opts.version ?? null}::int, d.version)
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version
                            and (${at}::timestamptz is null or a.archived_at < ${at}::timestamptz))
        where p.project_id = ${projectId} and p.name in ${names} and p.archived_at is null`,
  );
}

/** The newest version of each prompt that is not deleted (as of `at`): what `{{> name|label=latest}}` includes. */
async function loadLatestRows(db: Db, projectId: string, names: string[], at?: Date) {
  const cutoff = at ? new Date(at.getTime() + 1).toISOString() : null;
  return queryRows<{ name: string; version: number; content: Content }>(
    db,
    sql`select p.name, v.version, v.content from prompts p
        join lateral (
          select version, content from prompt_versions v
          where v.prompt_id = p.id and (${cutoff}::timestamptz is null or v.created_at < ${cutoff}::timestamptz)
            and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version
                              and (${cutoff}::timestamptz is null or a.archived_at < ${cutoff}::timestamptz))
          order by version desc limit 1
        ) v on true
        where p.project_id = ${projectId} and p.name in ${names} and p.archived_at is null`,
  );
}

/**
 * The versions version-label pins name (`name|label=v1.2`), as of `at` (from the moves' log) or now:
 * "name\u0000label" → version. A label never shares its name with an environment (lib/release keeps it so,
 * with the database), so a pin found here is not an environment's.
 */
async function versionLabelPins(db: Db, projectId: string, pins: PartialRef[], at?: Date) {
  const out = new Map<string, number>();
  if (!pins.length) return out;
  const names = [...new Set(pins.map((r) => r.name))];
  const labels = [...new Set(pins.map((r) => r.label!))];
  const cutoff = at ? new Date(at.getTime() + 1).toISOString() : null;
  const rows = await queryRows<{ name: string; label: string; version: number | null }>(
    db,
    cutoff
      ? sql`select distinct on (m.prompt_id, m.label) p.name, m.label, m.version from version_label_moves m
            join prompts p on p.id = m.prompt_id
            where p.project_id = ${projectId} and p.name in ${names} and m.label in ${labels}
              and m.created_at < ${cutoff}::timestamptz
            order by m.prompt_id, m.label, m.id desc`
      : sql`select p.name, vl.label, vl.version from version_labels vl join prompts p on p.id = vl.prompt_id
            where p.project_id = ${projectId} and p.name in ${names} and vl.label in ${labels}`,
  );
  for (const r of rows) if (r.version !== null) out.set(`${r.name}\u0000${r.label}`, Number(r.version));
  return out;
}

/**
 * The content each partial reference includes: `{{> name}}` as `environment` serves it (or, with no
 * environment, the latest version: what saving checks against), `name|label=E` as environment E
 * serves it, `name|label=V` the version version label V names, `name|label=latest` the newest version,
 * `name|version=N` that version. Deleted versions are never included. References that find nothing
 * are absent from the answer.
 */
export async function loadPartialRefs(
  db: Db,
  projectId: string,
  refs: string[],
  environment: string | null,
  at?: Date,
): Promise<Map<string, { version: number; content: Content }>> {
  const groups = new Map<string, { env: string | null; version?: number; refs: PartialRef[] }>();
  const parsed = [...new Set(refs)].map(parsePartialRef).filter((r) => r !== undefined);
  const labeled = await versionLabelPins(
    db,
    projectId,
    parsed.filter((r) => r.label !== undefined && r.label !== latestLabel),
    at,
  );
  for (const r of parsed) {
    const env = r.label === latestLabel ? null : (r.label ?? environment);
    const version = r.version ?? (r.label !== undefined ? labeled.get(`${r.name}\u0000${r.label}`) : undefined);
    const key = version !== undefined ? `version:${version}` : env === null ? "latest" : `env:${env}`;
    const g = groups.get(key) ?? { env, version, refs: [] };
    g.refs.push(r);
    groups.set(key, g);
  }
  const out = new Map<string, { version: number; content: Content }>();
  for (const g of groups.values()) {
    const names = [...new Set(g.refs.map((r) => r.name))];
    const found = new Map<string, { version: number; content: Content }>();
    if (g.version !== undefined) {
      // A pinned version is the same in every environment; any environment of the project joins it.
      for (const r of await loadVersionRows(db, projectId, names, g.version, at))
        found.set(r.name, { version: r.version, content: r.content });
    } else if (g.env === null) {
      for (const r of await loadLatestRows(db, projectId, names, at))
        found.set(r.name, { version: r.version, content: r.content });
    } else {
      for (const r of await loadRows(db, projectId, names, g.env, { at }))
        if (r.version !== null && r.content) found.set(r.name, { version: r.version, content: r.content });
    }
    for (const r of g.refs) {
      const hit = found.get(r.name);
      if (hit) out.set(formatPartialRef(r), hit);
    }
  }
  return out;
}

async function loadVersionRows(db: Db, projectId: string, names: string[], version: number, at?: Date) {
  const cutoff = at ? new Date(at.getTime() + 1).toISOString() : null;
  return queryRows<{ name: string; version: number; content: Content }>(
    db,
    sql`select p.name, v.version, v.content from prompts p
        join prompt_versions v on v.prompt_id = p.id and v.version = ${version}
        where p.project_id = ${projectId} and p.name in ${names} and p.archived_at is null
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version
                            and (${cutoff}::timestamptz is null or a.archived_at < ${cutoff}::timestamptz))`,
  );
}

/**
 * The partial graph of a prompt as an environment serves it: each partial at the version live in
 * that environment (at the same instant for `at`), loaded level by level, then the one graph check
 * every path uses — cycles (which can exist in one environment only), depth and expanded size
 * throw 422. A partial that is not live is reported as missing: rendering then fails with 422, as
 * the SDK's would.
 *
 * `overrides` (name → version) renders named partials at those versions wherever the environment's
 * own version would be included (`{{> name}}` and `{{> name|label=<environment>}}`): the composed
 * result a partial's candidate version makes. Other pins keep what they pin.
 */
export async function environmentGraph(
  db: Db,
  projectId: string,
  root: { name: string; version: number; content: Content },
  environment: string,
  at?: Date,
  overrides: Record<string, number> | null = null,
) {
  const loaded = new Map<string, { version: number; content: Content }>();
  let frontier = collectPartials(root.content);
  // What a reference loads: itself, or the overriding version's pin.
  const effective = (ref: string) => {
    const r = parsePartialRef(ref);
    const v = r && overrides && Object.hasOwn(overrides, r.name) ? overrides[r.name] : undefined;
    return v !== undefined && r!.version === undefined && (r!.label === undefined || r!.label === environment)
      ? formatPartialRef({ name: r!.name, version: v })
      : ref;
  };
  // Keys are partial references: `name`, or a pinned `name|label=E` / `name|version=N`.
  for (let depth = 0; frontier.length && depth <= defaultMaxPartialDepth; depth++) {
    const others = frontier.filter((n) => n !== root.name);
    if (frontier.includes(root.name)) loaded.set(root.name, { version: root.version, content: root.content });
    const rows = others.length
      ? await loadPartialRefs(db, projectId, [...new Set(others.map(effective))], environment, at)
      : new Map<string, { version: number; content: Content }>();
    const next: string[] = [];
    for (const ref of others) {
      const r = rows.get(effective(ref));
      if (!r) continue;
      loaded.set(ref, r);
      next.push(...includedPartials(r.content));
    }
    frontier = [...new Set(next)].filter((n) => !loaded.has(n) && !frontier.includes(n));
  }
  const graph = resolvePartialGraph({ name: root.name, content: root.content }, (n) => loaded.get(n)?.content, {
    collectMissing: true,
  });
  const partials: ServedPartials = {};
  for (const [n, text] of Object.entries(graph.partials))
    partials[n] = { version: loaded.get(n)!.version, text, variables: graph.declared[n]! };
  return { partials, missing: graph.missing, expandedChars: graph.expandedChars };
}

/**
 * The partials a version composes as an environment serves them (`name@version,…`; composition.ts), with
 * `overrides` as in environmentGraph; null for a graph the environment cannot serve (a cycle, too deep).
 */
export async function servedPartialsKey(
  db: Db,
  projectId: string,
  root: { name: string; version: number; content: Content },
  environment: string,
  overrides: Record<string, number> | null = null,
): Promise<string | null> {
  try {
    const { partials } = await environmentGraph(db, projectId, root, environment, undefined, overrides);
    return partialsKey(compositionOf(root, partials).partials);
  } catch (e) {
    if (e instanceof AppError && e.code === "unprocessable") return null;
    throw e;
  }
}
