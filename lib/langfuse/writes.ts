// Writes behind the Langfuse-compatible routes: create (a prompt or its next version), move labels
// (PATCH …/versions/{v}), delete (a recorded deletion, lib/registry/deletions.ts). A label that names an environment is moved by lib/release's
// promote, in moveLabel below: the one place this surface (and the importer) moves what an environment
// serves, so review, gate and live-in rules apply as anywhere else. Any other label is a version label
// (lib/release/version-labels/version-labels.ts): an alias of the version, without rules.
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { labelEnvironments } from "../../db/schema";
import { AppError, isAppError } from "../errors";
import { deleteVersions, dependentsOf, restorePrompt } from "../registry/deletions";
import { parseContent, type Content } from "../registry/content";
import { withTx, type DomainContext } from "../context";
import { defaultExpansionLimits } from "../registry/templates/partials";
import { createPrompt, findPrompt, updatePromptDetails } from "../registry/prompts";
import { collectPartials, resolvePartialGraph } from "../registry/templates/template";
import { loadPartialContents, saveVersion } from "../registry/versions";
import { BufferedEvents } from "../announcements";
import type { DeployOutcome } from "../release/deployments";
import { assertMayDeployInto, promoteVersion } from "../release/promote";
import { listEnvironmentRows } from "../release/environments";
import {
  findLabelTarget,
  setVersionLabel,
  versionLabelSchema,
  type VersionLabelOutcome,
} from "../release/version-labels/version-labels";
import { contentFromLangfuse, latestLabel, type LangfuseCreateBody, type LangfuseRecord } from "./mapping";
import { recordOf } from "./version-record";
import { promptVersionStates, visiblePrompt } from "./states";

export type LabelSource = "langfuse-api" | "langfuse-import";

/** Langfuse's nesting limit (MAX_PROMPT_NESTING_DEPTH = 5 prompts deep, the root included). */
export const langfuseMaxDepth = 4;

/** Refuses the labels Langfuse takes and Lectern cannot (one of only dots: not addressable in a URL). */
export function assertLabelsUsable(labels: string[]): void {
  for (const label of labels) {
    if (label === latestLabel) continue;
    const parsed = versionLabelSchema.safeParse(label);
    if (!parsed.success)
      throw new AppError("invalid_input", `Label "${label}" cannot be used: ${parsed.error.issues[0]!.message}.`, {
        field: "labels",
        label,
      });
  }
}

/**
 * Puts a label on a version. A label that names an environment: the environment serves that version,
 * through lib/release's promote — the one call of it on this surface (when it serves it already, promote
 * answers "already_live" and writes nothing, as for the REST API and the UI). Any other label is a version
 * label pointed at the version (setVersionLabel; "unchanged" when it points there already).
 */
export async function moveLabel(
  ctx: DomainContext,
  prompt: { id: string; name: string },
  label: string,
  version: number,
  source: LabelSource,
): Promise<{ kind: "environment"; outcome: DeployOutcome } | { kind: "version"; outcome: VersionLabelOutcome }> {
  const target = await findLabelTarget(ctx.db, ctx.projectId, prompt.id, label);
  if (target?.kind !== "environment")
    return { kind: "version", outcome: await setVersionLabel(ctx, prompt.name, label, version) };
  const reason =
    source === "langfuse-api" ? `Label ${label} set through the Langfuse API` : `Label ${label} imported from Langfuse`;
  await assertMayDeployInto(ctx, label); // the label names the environment: no declaration can (promote.ts)
  return {
    kind: "environment",
    outcome: await promoteVersion(ctx, prompt.name, { environment: label, version, reason }),
  };
}

/** Labels in promotion order: environments by position (so staging's live-in comes before production's), version labels last. */
async function inPromotionOrder(db: Db, projectId: string, labels: string[]): Promise<string[]> {
  const position = new Map((await listEnvironmentRows(db, projectId)).map((e) => [e.name, e.position]));
  return [...new Set(labels)]
    .filter((l) => l !== latestLabel)
    .sort((a, b) => (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity) || a.localeCompare(b));
}

/**
 * Checks composition the way Langfuse does before anything is saved, answering 400 with its words:
 * a missing target, a prompt including itself (in any version), or more than five prompts deep.
 */
export async function checkLangfuseGraph(db: Db, projectId: string, name: string, content: Content): Promise<void> {
  const loaded = await loadPartialContents(db, projectId, collectPartials(content));
  try {
    resolvePartialGraph({ name, content }, (n) => (n === name ? content : loaded.get(n)), {
      limits: { ...defaultExpansionLimits, maxDepth: langfuseMaxDepth },
    });
  } catch (e) {
    if (!isAppError(e)) throw e;
    const d = e.details ?? {};
    if (Array.isArray(d.cycle))
      throw new AppError(
        "invalid_input",
        `Circular dependency detected: ${(d.cycle as string[]).join(" → ")} (a prompt cannot include itself, directly or through others).`,
        { field: "prompt", cycle: d.cycle },
      );
    if (Array.isArray(d.chain))
      throw new AppError(
        "invalid_input",
        `Maximum nesting depth exceeded (${langfuseMaxDepth + 1}): ${(d.chain as string[]).join(" → ")}`,
        { field: "prompt", chain: d.chain },
      );
    if (typeof d.partial === "string" && d.include === undefined)
      throw new AppError(
        "invalid_input",
        `Prompt dependency not found: ${d.partial} (no such prompt, version or label in this project)`,
        { field: "prompt", partial: d.partial },
      );
    throw new AppError("invalid_input", e.message, { field: "prompt", ...d });
  }
}

/** POST /api/public/v2/prompts: a new prompt, or the next version of one (a deleted one comes back). */
export async function createLangfusePrompt(ctx: DomainContext, body: LangfuseCreateBody): Promise<LangfuseRecord> {
  const content = parseContent(contentFromLangfuse(body));
  assertLabelsUsable(body.labels);
  await checkLangfuseGraph(ctx.db, ctx.projectId, body.name, content);
  const buffer = new BufferedEvents();
  const promptId = await ctx.db.transaction(async (tx) => {
    const c = withTx(ctx, tx, buffer);
    let prompt = await findPrompt(tx, ctx.projectId, body.name);
    let version: number;
    if (!prompt) {
      const created = await createPrompt(
        c,
        { name: body.name, tags: body.tags ?? [], commitMessage: body.commitMessage ?? "", ...content },
        { defaultCommitMessage: "" },
      );
      prompt = created.prompt;
      version = created.version.version;
    } else {
      const visible = await promptVersionStates(tx, ctx.projectId, prompt.id);
      const newest = visible.at(-1);
      if (prompt.deletedAt === null && newest && newest.type !== content.type)
        throw new AppError(
          "invalid_input",
          `Previous versions of ${body.name} are ${newest.type} prompts; a version cannot change the type. Create a new prompt with a different name.`,
          { field: "type" },
        );
      await restorePrompt(withTx(c, tx), prompt);
      version = (await saveVersion(c, prompt, content, { commitMessage: body.commitMessage ?? "", baseVersion: null }))
        .version.version;
      if (body.tags !== undefined) await updatePromptDetails(c, prompt.name, { tags: body.tags });
    }
    for (const label of await inPromotionOrder(tx, ctx.projectId, body.labels))
      await moveLabel(c, prompt, label, version, "langfuse-api");
    return prompt.id;
  });
  await buffer.flush(ctx.events);
  const prompt = await visiblePrompt(ctx.db, ctx.projectId, body.name);
  const states = await promptVersionStates(ctx.db, ctx.projectId, promptId);
  return recordOf(ctx.db, ctx.projectId, prompt, states.at(-1)!, { resolve: false, environment: "production" });
}

/** PATCH /api/public/v2/prompts/{name}/versions/{version}: adds labels to a version (each leaves the version that held it). */
export async function updateLangfuseLabels(
  ctx: DomainContext,
  name: string,
  version: number,
  newLabels: string[],
): Promise<LangfuseRecord> {
  const what = ` with version ${version}`;
  const prompt = await visiblePrompt(ctx.db, ctx.projectId, name, what);
  if (!(await promptVersionStates(ctx.db, ctx.projectId, prompt.id)).some((s) => s.version === version))
    throw new AppError("not_found", `Prompt not found: '${name}'${what}`, { prompt: name, version });
  assertLabelsUsable(newLabels);
  const buffer = new BufferedEvents();
  await ctx.db.transaction(async (tx) => {
    const c = withTx(ctx, tx, buffer);
    for (const label of await inPromotionOrder(tx, ctx.projectId, newLabels))
      await moveLabel(c, prompt, label, version, "langfuse-api");
  });
  await buffer.flush(ctx.events);
  const state = (await promptVersionStates(ctx.db, ctx.projectId, prompt.id)).find((s) => s.version === version)!;
  return recordOf(ctx.db, ctx.projectId, prompt, state, { resolve: false, environment: "production" });
}

/**
 * DELETE /api/public/v2/prompts/{name}[?version=&label=]: deletes the versions that match (all of
 * them when neither is given). Refused while another prompt's reference would then find nothing.
 */
export async function deleteLangfusePrompt(
  ctx: DomainContext,
  name: string,
  q: { version?: number; label?: string },
): Promise<void> {
  const what =
    q.version !== undefined ? ` with version ${q.version}` : q.label !== undefined ? ` with label '${q.label}'` : "";
  const prompt = await visiblePrompt(ctx.db, ctx.projectId, name, what);
  const states = await promptVersionStates(ctx.db, ctx.projectId, prompt.id);
  const targets = states.filter(
    (s) =>
      (q.version === undefined || s.version === q.version) && (q.label === undefined || s.labels.includes(q.label)),
  );
  if (!targets.length) throw new AppError("not_found", `Prompt not found: '${name}'${what}`, { prompt: name });
  const gone = new Set(targets.map((t) => t.version));
  const remaining = states.filter((s) => !gone.has(s.version));
  // After the delete an environment whose version went serves nothing; `latest` moves to the newest left.
  const remainingLabels = new Set(remaining.flatMap((s) => s.labels.filter((l) => l !== latestLabel)));
  if (remaining.length) remainingLabels.add(latestLabel);
  const dependents = await dependentsOf(ctx.db, ctx.projectId, prompt, [...gone], remainingLabels, !remaining.length);
  if (dependents.length)
    throw new AppError(
      "invalid_input",
      `Other prompts are depending on the prompt versions you are trying to delete: ${dependents
        .map((d) => `${d.prompt} v${d.version} depends on ${d.ref}`)
        .join("; ")}. Delete or change them first.`,
      { dependents },
    );
  const { seq } = await deleteVersions(ctx, prompt, [...gone], "Deleted through the Langfuse-compatible API");
  // Pinned caches of those versions, and every environment that served one, must drop them.
  for (const t of targets) {
    await ctx.events.publish({
      projectId: ctx.projectId,
      prompt: name,
      environment: null,
      version: t.version,
      action: "version",
      seq,
    });
    for (const env of t.environments)
      await ctx.events.publish({
        projectId: ctx.projectId,
        prompt: name,
        environment: env,
        version: t.version,
        action: "version",
        seq,
      });
    // A version label on it now finds nothing: SDKs fetching by it drop their answer.
    for (const label of t.labels.filter((l) => l !== latestLabel && !t.environments.includes(l)))
      await ctx.events.publish({
        projectId: ctx.projectId,
        prompt: name,
        environment: null,
        version: t.version,
        action: "label",
        label,
        seq,
      });
  }
}

/** Whether an environment was created for a Langfuse label (Settings shows it). */
export async function labelEnvironmentSources(db: Db, projectId: string): Promise<Map<string, LabelSource>> {
  const rows = await db.select().from(labelEnvironments).where(eq(labelEnvironments.projectId, projectId));
  return new Map(rows.map((r) => [r.environmentId, r.source as LabelSource]));
}
