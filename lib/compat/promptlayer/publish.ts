// templates.publish: a new prompt or its next version, through the registry's own operations (createPrompt,
// saveVersion), and its release_labels moved through lib/release's promote — the release plan, reviews and
// protected environments apply as on every other path — or, a label that names no environment, set as a version
// label (no release rules). All in one transaction: a label the plan refuses leaves nothing behind, and the
// refusal (PromptLayer's error shape, by path) names what is missing.
import type { Db } from "../../../db/client";
import { BufferedEvents } from "../../announcements";
import { withTx, type DomainContext } from "../../context";
import { restorePrompt } from "../../registry/deletions";
import { parseContent, type TemplateContent } from "../../registry/content";
import { createPrompt, findPrompt, updatePromptDetails } from "../../registry/prompts";
import { saveVersion } from "../../registry/versions";
import { listEnvironmentRows } from "../../release/environments";
import { assertMayDeployInto, promoteVersion } from "../../release/promote";
import { setVersionLabel, versionLabelSchema } from "../../release/version-labels/version-labels";
import { parseInput } from "../../validation";
import { unrenderedTemplate } from "./blueprint";
import { contentFromPl } from "./from-promptlayer";
import { integerIdOf } from "./ids";
import { plModelOf } from "./model-settings";
import type { PlPublishBody } from "./shapes";

/**
 * The release labels: environments in promotion order (so staging's "live in" comes before production's), and
 * the others as version labels (checked as such before anything is written).
 */
async function labelsOf(db: Db, projectId: string, labels: string[]) {
  const position = new Map((await listEnvironmentRows(db, projectId)).map((e) => [e.name, e.position]));
  const unique = [...new Set(labels)];
  const environments = unique.filter((l) => position.has(l)).sort((a, b) => position.get(a)! - position.get(b)!);
  const versionLabels = unique
    .filter((l) => !position.has(l))
    .map((l) => parseInput(versionLabelSchema, l, "release_labels"));
  return { environments, versionLabels };
}

/** POST /rest/prompt-templates. */
export async function publishPromptLayerTemplate(ctx: DomainContext, body: PlPublishBody) {
  const name = body.prompt_template.prompt_name;
  const { prompt_template: pt, metadata, commit_message } = body.prompt_version;
  const content = parseContent(contentFromPl(pt, metadata?.model ?? null)) as TemplateContent;
  const labels = await labelsOf(ctx.db, ctx.projectId, body.release_labels ?? []);
  const tags = body.prompt_template.tags ?? undefined;
  const commitMessage = commit_message ?? "";
  const buffer = new BufferedEvents();
  const saved = await ctx.db.transaction(async (tx) => {
    const c = withTx(ctx, tx, buffer);
    const existing = await findPrompt(tx, ctx.projectId, name);
    let row;
    if (!existing) {
      const created = await createPrompt(c, { name, tags: tags ?? [], commitMessage, ...content });
      row = { promptId: created.prompt.id, tags: created.prompt.tags, version: created.version };
    } else {
      await restorePrompt(withTx(c, tx), existing);
      const { version } = await saveVersion(c, existing, content, { commitMessage, baseVersion: null });
      const details = tags ? await updatePromptDetails(c, name, { tags }) : existing;
      row = { promptId: existing.id, tags: details.tags, version };
    }
    for (const environment of labels.environments) {
      await assertMayDeployInto(c, environment); // the body's release_labels name it: no declaration can (promote.ts)
      await promoteVersion(c, name, {
        environment,
        version: row.version.version,
        reason: `Release label ${environment} set through PromptLayer's API`,
      });
    }
    for (const label of labels.versionLabels) await setVersionLabel(c, name, label, row.version.version);
    return row;
  });
  await buffer.flush(ctx.events);
  const model = plModelOf(content.config);
  return {
    id: integerIdOf(saved.promptId),
    prompt_name: name,
    prompt_version_id: integerIdOf(saved.version.id),
    version_number: saved.version.version,
    tags: saved.tags,
    release_labels: [...labels.environments, ...labels.versionLabels],
    prompt_template: unrenderedTemplate(content, {}, content.variables),
    metadata: model ? { model } : {},
    commit_message: saved.version.commitMessage || null,
    external_ids: [],
  };
}
