// One version as a Langfuse record, with its partials and resolution graph resolved when asked.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { AppError, isAppError } from "../errors";
import type { Content } from "../registry/content";
import { refPromptName } from "../registry/templates/partial-refs";
import type { PromptRow } from "../registry/prompts";
import { environmentGraph } from "../registry/live-versions";
import { analyzeTemplate, collectPartials } from "../registry/templates/template";
import { createdByOf, langfuseRecord, type LangfuseRecord, type ResolutionGraph } from "./mapping";
import type { VersionState } from "./states";

async function versionContent(db: Db, promptId: string, version: number): Promise<Content> {
  const [row] = await queryRows<{ content: Content }>(
    db,
    sql`select content from prompt_versions where prompt_id = ${promptId} and version = ${version}`,
  );
  return row!.content;
}

/** The ids of versions, for resolution graphs: "name\u0000version" → id. */
async function versionIds(db: Db, projectId: string, pairs: { name: string; version: number }[]) {
  if (!pairs.length) return new Map<string, string>();
  const names = [...new Set(pairs.map((p) => p.name))];
  const rows = await queryRows<{ name: string; version: number; id: string }>(
    db,
    sql`select p.name, v.version, v.id from prompt_versions v join prompts p on p.id = v.prompt_id
        where p.project_id = ${projectId} and p.name in ${names}`,
  );
  return new Map(rows.map((r) => [`${r.name}\u0000${r.version}`, r.id]));
}

/** Langfuse's resolutionGraph: root, and for each including version (by id) the versions it includes. */
async function resolutionGraphOf(
  db: Db,
  projectId: string,
  root: { id: string; name: string; version: number; content: Content },
  partials: Record<string, { version: number; text: string }>,
): Promise<ResolutionGraph> {
  const refs = Object.keys(partials);
  if (!refs.length) return null;
  const node = (ref: string) => ({ name: refPromptName(ref), version: partials[ref]!.version });
  const ids = await versionIds(db, projectId, refs.map(node));
  const idOf = (n: { name: string; version: number }) => ids.get(`${n.name}\u0000${n.version}`) ?? "";
  const dependencies: Record<string, { name: string; version: number; id: string }[]> = {};
  const add = (from: string, includes: string[]) => {
    const list = includes.filter((r) => r in partials).map((r) => ({ ...node(r), id: idOf(node(r)) }));
    if (list.length) dependencies[from] = [...(dependencies[from] ?? []), ...list];
  };
  add(root.id, collectPartials(root.content));
  for (const ref of refs) {
    const id = idOf(node(ref));
    if (!dependencies[id]) add(id, analyzeTemplate(partials[ref]!.text, `partials.${ref}`).partials);
  }
  return { root: { name: root.name, version: root.version, id: root.id }, dependencies };
}

export async function recordOf(
  db: Db,
  projectId: string,
  prompt: PromptRow,
  state: VersionState,
  opts: { resolve: boolean; environment: string },
): Promise<LangfuseRecord> {
  const content = await versionContent(db, prompt.id, state.version);
  let partials: Record<string, string> | null = null;
  let resolutionGraph: ResolutionGraph = null;
  if (opts.resolve) {
    let graph: Awaited<ReturnType<typeof environmentGraph>>;
    try {
      graph = await environmentGraph(
        db,
        projectId,
        { name: prompt.name, version: state.version, content },
        opts.environment,
      );
    } catch (e) {
      // A cycle or an over-deep graph that exists only now (a label moved since the save): Langfuse
      // answers 409 for what cannot be resolved. Too large an expansion stays Lectern's 422.
      const d = isAppError(e) ? e.details : undefined;
      if (isAppError(e) && (Array.isArray(d?.cycle) || Array.isArray(d?.chain)))
        throw new AppError("conflict", e.message, e.details);
      throw e;
    }
    if (graph.missing.length)
      throw new AppError(
        "conflict",
        `Prompt dependency not found: ${graph.missing.join(", ")} (the version or label it names is not there any more)`,
        { missing: graph.missing },
      );
    partials = Object.fromEntries(Object.entries(graph.partials).map(([k, p]) => [k, p.text]));
    resolutionGraph = await resolutionGraphOf(
      db,
      projectId,
      { id: state.id, name: prompt.name, version: state.version, content },
      graph.partials,
    );
  }
  return langfuseRecord({
    id: state.id,
    projectId,
    name: prompt.name,
    version: state.version,
    content,
    labels: state.labels,
    tags: prompt.tags,
    commitMessage: state.commitMessage,
    createdBy: createdByOf(state.authorLabel),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    partials,
    resolutionGraph,
  });
}
