// Reading a PromptLayer workspace through its REST API (the shapes of its published OpenAPI document) as the
// importer core's ForeignPrompts: the template list (GET /prompt-templates, pages of 100), every version of each
// (GET /prompt-templates/{id}?version=N, raw: snippets expanded, nothing rendered) and its release labels
// (GET /prompt-templates/{id}/labels). Bounded: pages, versions per prompt and in all, bytes (SourceClient) and
// the import's signal. What a version holds that the core's ForeignVersion cannot carry (images, tool calls,
// other blocks) is not handed over but refused here, named, as the core refuses what it cannot convert.
import { z } from "zod";
import { AppError } from "../../errors";
import type { ForeignPrompt, ForeignVersion } from "../import";
import { keyedClient, type KeyedReader, type ReaderRefusal } from "../import/keyed";
import { pool, type SourceClient } from "../../registry/import-source";
import { importLimits } from "../../registry/imported";
import { pieceRefusal, plVersionContent } from "./import-content";

export interface PromptLayerSource {
  /** PromptLayer's API base URL, e.g. https://api.promptlayer.com (or a Lectern's /api/compat/promptlayer). */
  url: string;
  apiKey: string;
}

const listPage = z.object({
  items: z.array(
    z.looseObject({
      id: z.number().int(),
      prompt_name: z.string(),
      version: z.number().int().positive().nullish(),
      tags: z.array(z.unknown()).nullish(),
      full_folder_path: z.string().nullish(),
      is_snippet: z.boolean().nullish(),
    }),
  ),
  has_next: z.boolean().optional(),
  pages: z.number().int().nonnegative().optional(),
});

const versionAnswer = z.looseObject({
  id: z.number().int(),
  version: z.number().int().positive(),
  prompt_template: z.unknown(),
  metadata: z.unknown().optional(),
  commit_message: z.string().nullish(),
  created_at: z.string().nullish(),
});

const labelsAnswer = z.object({
  release_labels: z.array(z.looseObject({ release_label: z.string(), prompt_version_number: z.number().int() })),
});

type Listed = { id: number; name: string; latest: number; tags: string[] };

const inFolder = (name: string, folder?: string) =>
  !folder || name === folder.replace(/\/+$/, "") || name.startsWith(`${folder.replace(/\/+$/, "")}/`);

/** The prompt's Lectern name: PromptLayer's folder path (when its API gives one) and name, joined by '/'. */
const lecternName = (item: z.infer<typeof listPage>["items"][number]) =>
  item.full_folder_path ? `${item.full_folder_path.replace(/^\/+|\/+$/g, "")}/${item.prompt_name}` : item.prompt_name;

function notPromptLayer(url: string, what: string): AppError {
  return new AppError("unprocessable", `${url} did not answer ${what}: is it PromptLayer's API base URL?`, {
    field: "url",
  });
}

/** Every template's newest version number, page by page (snippets too: prompts include them). */
async function listTemplates(client: SourceClient, url: string, folder?: string): Promise<Listed[]> {
  const listed: Listed[] = [];
  for (let page = 1; ; page++) {
    const r = await client.get(`/prompt-templates?page=${page}&per_page=100`);
    const parsed = listPage.safeParse(r.body);
    if (r.status !== 200 || !parsed.success) throw notPromptLayer(url, "a PromptLayer template list");
    for (const item of parsed.data.items) {
      const name = lecternName(item);
      if (!inFolder(name, folder) || !item.version) continue;
      const tags = (item.tags ?? []).filter((t): t is string => typeof t === "string");
      listed.push({ id: item.id, name, latest: item.version, tags });
    }
    const more = parsed.data.has_next ?? page < (parsed.data.pages ?? 1);
    if (!more || parsed.data.items.length === 0) break;
    if (page >= importLimits.pages)
      throw new AppError(
        "unprocessable",
        `${url} lists more than ${importLimits.pages} pages of templates, the most one import reads; import one folder at a time (folder).`,
        { field: "folder", limit: importLimits.pages },
      );
  }
  return listed;
}

function checkBounds(listed: Listed[]): void {
  const over = listed.find((p) => p.latest > importLimits.versionsPerPrompt);
  if (over)
    throw new AppError(
      "unprocessable",
      `PromptLayer lists ${over.latest.toLocaleString("en-US")} versions of ${over.name}; an import takes at most ${importLimits.versionsPerPrompt.toLocaleString("en-US")} versions of one prompt. Import the other folders apart (folder).`,
      { field: "folder", prompt: over.name },
    );
  const total = listed.reduce((n, p) => n + p.latest, 0);
  if (total > importLimits.versions)
    throw new AppError(
      "unprocessable",
      `The import would read ${total.toLocaleString("en-US")} versions, more than the ${importLimits.versions.toLocaleString("en-US")} one import reads; import one folder at a time (folder).`,
      { field: "folder", limit: importLimits.versions },
    );
}

/** One template's versions, oldest first (a version deleted in PromptLayer answers 404 and is left out). */
async function readVersions(client: SourceClient, p: Listed, refusals: ReaderRefusal[]): Promise<ForeignVersion[]> {
  const labels = await client.get(`/prompt-templates/${p.id}/labels`);
  const parsedLabels = labels.status === 200 ? labelsAnswer.safeParse(labels.body) : undefined;
  const labelsOf = (v: number) =>
    (parsedLabels?.success ? parsedLabels.data.release_labels : [])
      .filter((l) => l.prompt_version_number === v)
      .map((l) => l.release_label);
  const numbers = Array.from({ length: p.latest }, (_, i) => i + 1);
  const versions = await pool(numbers, 4, async (n) => {
    const r = await client.get(`/prompt-templates/${p.id}?version=${n}`);
    if (r.status === 404) return undefined;
    const a = versionAnswer.safeParse(r.body);
    if (!a.success || a.data.version !== n)
      throw new AppError("unprocessable", `PromptLayer's answer for ${p.name} version ${n} is not that version.`, {
        prompt: p.name,
        version: n,
      });
    try {
      return { ...plVersionContent(a.data), sourceId: String(n), labels: labelsOf(n) } satisfies ForeignVersion;
    } catch (e) {
      refusals.push({ prompt: p.name, sourceId: String(n), ...pieceRefusal(e) });
      return undefined;
    }
  });
  return versions.filter((v): v is ForeignVersion => v !== undefined);
}

/** Every template (optionally one folder's) with every version, and what the reader refused. */
export const readPromptLayer: KeyedReader<PromptLayerSource> = async (source, fetcher, opts) => {
  const client = keyedClient("PromptLayer", source, fetcher, opts.signal);
  const listed = await listTemplates(client, source.url, opts.folder);
  checkBounds(listed);
  const refusals: ReaderRefusal[] = [];
  const prompts: ForeignPrompt[] = [];
  for (const p of listed)
    prompts.push({ name: p.name, tags: p.tags, versions: await readVersions(client, p, refusals) });
  return { prompts, refusals };
};
