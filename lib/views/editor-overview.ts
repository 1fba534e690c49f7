// The two editor pages (read models): editing a prompt starts from one of its versions, a draft copy from its
// own content; both need the partials the content includes and the names of the other prompts it could include.
import type { Db } from "../../db/client";
import { isAppError } from "../errors";
import type { Content } from "../registry/content";
import { collectPartials } from "../registry/templates/partials";
import { listPromptRows, type PromptRow } from "../registry/prompts";
import { getVersion, listVersionRows, loadPartialContents } from "../registry/versions";
import { liveVersions } from "../release/deployments";
import { draftDiffs, getDraftRow } from "../release/drafts/drafts";

async function editorContext(db: Db, projectId: string, content: Content, promptName: string) {
  const [partials, all] = await Promise.all([
    loadPartialContents(db, projectId, collectPartials(content)),
    listPromptRows(db, projectId, { limit: 200 }),
  ]);
  return {
    partials: Object.fromEntries(partials),
    promptNames: all.items.map((p) => p.name).filter((n) => n !== promptName),
  };
}

/** Where an edit starts: the version asked for, what the environment asked for serves, or the newest. */
export type EditStart =
  { kind: "asked" } | { kind: "served"; environment: string } | { kind: "newest"; environment: string | null };

/** What the edit page's URL asks for: a version (?version=, or ?from= as links made before it say), an environment. */
export type EditQuery = { version?: string; from?: string; env?: string };

/**
 * The edit page. One rule for the prompt page, its Playground and the editor: they open on the
 * newest version, with what each environment serves beside it as another starting point; ?version=N (the
 * version in view on the prompt page, which its links carry) starts from N, ?env=E from what E serves (the
 * newest when E serves nothing).
 */
export async function editOverview(db: Db, projectId: string, prompt: PromptRow, query: EditQuery) {
  const [live, rows] = await Promise.all([
    liveVersions(db, projectId, prompt.id),
    listVersionRows(db, prompt, { limit: 500 }),
  ]);
  const target = query.env === undefined ? undefined : live.find((e) => e.environment === query.env);
  const asked = Number(query.version ?? query.from);
  const served = target?.live?.version;
  const [number, start]: [number, EditStart] =
    Number.isInteger(asked) && asked >= 1
      ? [Math.min(asked, prompt.latestVersion), { kind: "asked" }]
      : served !== undefined
        ? [served, { kind: "served", environment: target!.environment }]
        : [prompt.latestVersion, { kind: "newest", environment: target?.environment ?? null }];
  const version = await getVersion(db, prompt, number);
  const content = version.content;
  const environments = live.map((e) => ({ name: e.environment, serves: e.live?.version ?? null }));
  return {
    version,
    content,
    start,
    /** Each environment and the version it serves (null: none), the other starting points. */
    environments,
    /** Every version, newest first, with the environments serving it: the base picker's choices. */
    versions: rows.map(({ version: v }) => ({
      version: v.version,
      commitMessage: v.commitMessage,
      servedIn: environments.filter((e) => e.serves === v.version).map((e) => e.name),
    })),
    latest: prompt.latestVersion,
    ...(await editorContext(db, projectId, content, prompt.name)),
  };
}

/** The draft page: the draft with its base and the latest version to merge with; null when there is no such draft. */
export async function draftOverview(db: Db, projectId: string, id: string) {
  const found = await getDraftRow(db, projectId, id).catch((e: unknown) => {
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
