// The two editor pages (read models): editing a prompt starts from one of its versions, a draft copy from its
// own content; both need the partials the content includes and the names of the other prompts it could include.
import type { Db } from "../../db/client";
import { isAppError } from "../errors";
import type { Content } from "../registry/content";
import { collectPartials } from "../registry/partials";
import { listPrompts, type PromptRow } from "../registry/prompts";
import { getVersion, loadPartialContents } from "../registry/versions";
import { draftDiffs, getDraft } from "../release/drafts";

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

/** The edit page: the version asked for with ?from= (the latest when missing or past it). */
export async function editOverview(db: Db, projectId: string, prompt: PromptRow, from: string | undefined) {
  const version = await getVersion(db, prompt, Math.min(Number(from) || prompt.latestVersion, prompt.latestVersion));
  const content = version.content;
  return { version, content, ...(await editorContext(db, projectId, content, prompt.name)) };
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
