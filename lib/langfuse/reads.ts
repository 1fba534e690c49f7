// Reads behind the Langfuse-compatible routes: one prompt version as Langfuse returns it (here), and the
// list (list.ts). A version's labels are the environments serving it now, plus `latest` on the
// newest version; deleted versions are invisible here. Writes are in writes.ts.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { AppError } from "../errors";
import { latestLabel, type LangfuseRecord } from "./mapping";
import { recordOf } from "./version-record";
import { promptVersionStates, visiblePrompt, type VersionState } from "./states";
import { assertKeyMayRead } from "../runtime/key-limits";

export { listLangfusePrompts } from "./list";

/** Versions of a prompt that have been live in one of `allowed` (what an environment-limited key may read). */
async function versionsLiveIn(db: Db, promptId: string, allowed: string[]): Promise<Set<number>> {
  if (!allowed.length) return new Set();
  const rows = await queryRows<{ version: number }>(
    db,
    sql`select distinct d.version from deployments d join environments en on en.id = d.environment_id
        where d.prompt_id = ${promptId} and en.name in ${allowed}`,
  );
  return new Set(rows.map((r) => r.version));
}

/**
 * What an environment-limited key sees: those versions, with their version labels and only its own
 * environments' labels (never `latest`).
 */
function limitStates(states: VersionState[], versions: Set<number> | null, allowed: string[] | null) {
  if (!allowed || !versions) return states;
  const shown = (st: VersionState, l: string) =>
    allowed.includes(l) || (l !== latestLabel && !st.environments.includes(l));
  return states
    .filter((st) => versions.has(st.version))
    .map((st) => ({ ...st, labels: st.labels.filter((l) => shown(st, l)) }));
}

/** GET /api/public/v2/prompts/{name}: by version, or by label (default production; `latest` is the newest). */
export async function getLangfusePrompt(
  db: Db,
  projectId: string,
  name: string,
  q: { label?: string; version?: number; resolve?: "true" | "false" },
  allowed: string[] | null = null,
): Promise<LangfuseRecord> {
  const label = q.version === undefined ? (q.label ?? "production") : undefined;
  const what = q.version !== undefined ? ` with version ${q.version}` : ` with label '${label}'`;
  const prompt = await visiblePrompt(db, projectId, name, what);
  const states = limitStates(
    await promptVersionStates(db, projectId, prompt.id),
    allowed && (await versionsLiveIn(db, prompt.id, allowed)),
    allowed,
  );
  const state =
    q.version !== undefined
      ? states.find((s) => s.version === q.version)
      : states.find((s) => s.labels.includes(label!));
  if (!state) throw new AppError("not_found", `Prompt not found: '${name}'${what}`, { prompt: name });
  // Unpinned partials ({{> name}}) are read as the asked environment serves them (production otherwise).
  const environment = label && state.environments.includes(label) ? label : "production";
  return recordOf(db, projectId, prompt, state, { resolve: q.resolve !== "false", environment });
}

/**
 * GET /api/public/v2/prompts/{name} for a key: a key limited to some environments (`allowed`) is refused
 * (403) what it may not read — `latest`, an environment not its own, a version never live in them, a version
 * label on such a version — as the runtime API refuses it.
 */
export async function readLangfusePrompt(
  db: Db,
  projectId: string,
  name: string,
  q: { label?: string; version?: number; resolve?: "true" | "false" },
  allowed: string[] | null,
): Promise<LangfuseRecord> {
  await assertKeyMayRead(db, projectId, allowed, {
    name,
    version: q.version,
    label: q.version === undefined ? (q.label ?? "production") : undefined,
  });
  return getLangfusePrompt(db, projectId, name, q, allowed);
}
