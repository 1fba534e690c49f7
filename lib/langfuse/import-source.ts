// Reading a Langfuse project through its public API (the same one Lectern answers): the prompt list,
// then every version of every prompt, raw (`resolve=false`, composition tags intact). Framework-free:
// the HTTP fetcher is an argument, so tests hand it a local server's answers.
import { z } from "zod";
import { AppError } from "../errors";
import { importLimits, listingProblem } from "./import-limits";
import { pool, SourceClient, sourceUrl, type Fetcher } from "../registry/import-source";

export interface LangfuseSource {
  /** The Langfuse base URL, e.g. https://cloud.langfuse.com (or a Lectern's own URL). */
  url: string;
  publicKey: string;
  secretKey: string;
}

export const langfuseSourceInput = z.object({
  // The keys go in the Authorization header.
  url: sourceUrl("the Langfuse base URL, e.g. https://cloud.langfuse.com", "the keys as publicKey and secretKey"),
  publicKey: z.string({ error: "publicKey is required" }).min(1, "publicKey is required").max(500),
  secretKey: z.string({ error: "secretKey is required" }).min(1, "secretKey is required").max(500),
});

export type { Fetcher } from "../registry/import-source";

const listPage = z.object({
  data: z.array(z.object({ name: z.string(), versions: z.array(z.number().int().positive()) })),
  meta: z.object({ totalPages: z.number().int().nonnegative() }).optional(),
});

// What a version answer must have; anything else Langfuse sends (id, projectId, …) is ignored.
const versionAnswer = z.object({
  name: z.string(),
  version: z.number().int().positive(),
  type: z.enum(["text", "chat"]).optional(),
  prompt: z.union([z.string(), z.array(z.unknown())]),
  config: z.unknown().optional(),
  labels: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  commitMessage: z.string().nullish(),
  createdBy: z.string().nullish(),
  createdAt: z.string().nullish(),
});

export interface SourceVersion {
  version: number;
  type: "text" | "chat";
  prompt: string | unknown[];
  config: unknown;
  labels: string[];
  tags: string[];
  commitMessage: string;
  createdBy: string;
  /** ISO 8601, when the source says; otherwise the import's own time is used. */
  createdAt: string | null;
}

export interface SourcePrompt {
  name: string;
  /** Oldest first; numbers may have gaps (versions deleted in Langfuse). */
  versions: SourceVersion[];
  /** Why the prompt is not imported, when the source's listing of it is beyond the limits (nothing was read). */
  error?: string;
}

const inFolder = (name: string, folder?: string) =>
  !folder || name === folder.replace(/\/+$/, "") || name.startsWith(`${folder.replace(/\/+$/, "")}/`);

/** Every prompt (optionally only one folder's) with every version, oldest first. */
export async function readLangfuse(
  source: LangfuseSource,
  fetcher: Fetcher,
  opts: { folder?: string; concurrency?: number; signal?: AbortSignal } = {},
): Promise<SourcePrompt[]> {
  const client = new SourceClient(
    {
      system: "Langfuse",
      base: source.url,
      headers: { authorization: `Basic ${Buffer.from(`${source.publicKey}:${source.secretKey}`).toString("base64")}` },
      refusedKeys: { field: "secretKey", hint: "check the public and secret key of the project to import" },
    },
    fetcher,
    opts.signal ?? new AbortController().signal,
  );
  const listed = await listPrompts(client, source.url);
  const wanted = listed
    .filter((p) => inFolder(p.name, opts.folder))
    .map((p) => {
      const versions = [...new Set(p.versions)].sort((a, b) => a - b);
      return { name: p.name, versions, error: listingProblem(versions) };
    });
  const jobs = wanted.flatMap((p) => (p.error ? [] : p.versions.map((v) => ({ name: p.name, v }))));
  if (jobs.length > importLimits.versions)
    throw new AppError(
      "unprocessable",
      `The import would read ${jobs.length.toLocaleString("en-US")} versions, more than the ${importLimits.versions.toLocaleString("en-US")} one import reads; import one folder at a time (folder).`,
      { field: "folder", limit: importLimits.versions },
    );
  const versions = await pool(jobs, opts.concurrency ?? 4, ({ name, v }) => readVersion(client, name, v));
  const byName = new Map<string, SourceVersion[]>();
  for (const x of versions) if (x) byName.set(x.name, [...(byName.get(x.name) ?? []), x.version]);
  return wanted
    .map((p): SourcePrompt =>
      p.error
        ? { name: p.name, versions: [], error: p.error }
        : { name: p.name, versions: (byName.get(p.name) ?? []).sort((a, b) => a.version - b.version) },
    )
    .filter((p) => p.error || p.versions.length > 0);
}

/** The source's prompt list, page by page, up to importLimits.pages. */
async function listPrompts(client: SourceClient, url: string) {
  const listed: { name: string; versions: number[] }[] = [];
  for (let page = 1; ; page++) {
    const r = await client.get(`/api/public/v2/prompts?page=${page}&limit=100`);
    const parsed = listPage.safeParse(r.body);
    if (r.status !== 200 || !parsed.success)
      throw new AppError("unprocessable", `${url} did not answer a Langfuse prompt list: is it a Langfuse base URL?`, {
        field: "url",
      });
    listed.push(...parsed.data.data);
    const totalPages = parsed.data.meta?.totalPages ?? 1;
    if (page >= totalPages || parsed.data.data.length === 0) break;
    if (page >= importLimits.pages)
      throw new AppError(
        "unprocessable",
        `${url} lists more than ${importLimits.pages} pages of prompts, the most one import reads; import one folder at a time (folder).`,
        { field: "folder", limit: importLimits.pages },
      );
  }
  return listed;
}

/** One version as Langfuse answers it, unresolved; undefined when it was deleted since the list. */
async function readVersion(client: SourceClient, name: string, v: number) {
  const r = await client.get(`/api/public/v2/prompts/${encodeURIComponent(name)}?version=${v}&resolve=false`);
  if (r.status === 404) return undefined; // deleted between the list and now
  const a = versionAnswer.safeParse(r.body);
  if (!a.success)
    throw new AppError("unprocessable", `Langfuse's answer for ${name} version ${v} is not a prompt version.`, {
      prompt: name,
      version: v,
    });
  const d = a.data;
  if (d.version !== v || d.name !== name)
    throw new AppError(
      "unprocessable",
      `Langfuse answered ${d.name} version ${d.version} when asked for ${name} version ${v}.`,
      { prompt: name, version: v },
    );
  const version: SourceVersion = {
    version: d.version,
    type: d.type ?? (typeof d.prompt === "string" ? "text" : "chat"),
    prompt: d.prompt,
    config: d.config ?? {},
    labels: d.labels,
    tags: d.tags,
    commitMessage: d.commitMessage ?? "",
    createdBy: d.createdBy ?? "",
    createdAt: d.createdAt ?? null,
  };
  return { name, version };
}
