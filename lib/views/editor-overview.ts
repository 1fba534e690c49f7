// The two editor pages (read models): editing a prompt starts from one of its versions, a draft copy from its
// own content; both need the partials the content includes and the names of the other prompts it could include.
import type { Db } from "../../db/client";
import { isAppError } from "../errors";
import type { Content } from "../registry/content";
import { collectPartials } from "../registry/partials";
import { listPrompts, type PromptRow } from "../registry/prompts";
import { getVersion, loadPartialContents } from "../registry/versions";
import { liveVersions } from "../release/deployments";
import { draftDiffs, getDraft } from "../release/drafts";
import { PRODUCTION } from "../release/environments";

async function editorContext(db: Db, projectId: string, content: Content, promptName: string) {
  const [partials, all] = await Promise.all([
    loadPartialContents(db, projectId, collectPartials(content)),
    listPrompts(db, projectId, { limit: 200 }),
  ]);
  return {
    partials: Object.fromEntries(partials),
    promptNames: all.items.map((p) => p.name).filter((n) => n !== promptName),
  };
}

/** Where an edit starts: the version asked for, what the target environment serves, or the newest. */
export type EditStart =
  { kind: "asked" } | { kind: "served"; environment: string } | { kind: "newest"; environment: string | null };

/**
 * The edit page (issue 42): an edit starts from what the environment its author works towards serves
 * (?env=, production by default), so a one-line change carries no change its author did not make; from
 * the version asked for with ?from=; or from the newest when that environment serves nothing. Each
 * environment's served version is offered as another starting point.
 */
export async function editOverview(
  db: Db,
  projectId: string,
  prompt: PromptRow,
  query: { from?: string; env?: string },
) {
  const live = await liveVersions(db, projectId, prompt.id);
  const target =
    live.find((e) => e.environment === query.env) ?? live.find((e) => e.environment === PRODUCTION) ?? live.at(-1);
  const asked = Number(query.from);
  const served = target?.live?.version;
  const [number, start]: [number, EditStart] =
    Number.isInteger(asked) && asked >= 1
      ? [Math.min(asked, prompt.latestVersion), { kind: "asked" }]
      : served !== undefined
        ? [served, { kind: "served", environment: target!.environment }]
        : [prompt.latestVersion, { kind: "newest", environment: target?.environment ?? null }];
  const version = await getVersion(db, prompt, number);
  const content = version.content;
  return {
    version,
    content,
    start,
    /** Each environment and the version it serves (null: none), the other starting points. */
    environments: live.map((e) => ({ name: e.environment, serves: e.live?.version ?? null })),
    latest: prompt.latestVersion,
    ...(await editorContext(db, projectId, content, prompt.name)),
  };
}

/** The draft page: the draft with its base and the latest version to merge with; null when there is no such draft. */
export async function draftOverview(db: Db, projectId: string, id: string) {
  const found = await getDraft(db, projectId, id).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") return null;
    throw e;
  });
  if (!found) return null;
  const content = found.draft.content;
  const [diffs, context] = await Promise.all([
    draftDiffs(db, projectId, id),
    editorContext(db, projectId, content, found.prompt.name),
  ]);
  return { ...found, content, diffs, ...context };
}
