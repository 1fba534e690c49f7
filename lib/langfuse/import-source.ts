// Reading a Langfuse project through its public API (the same one Lectern answers): the prompt list,
// then every version of every prompt, raw (`resolve=false`, composition tags intact). Framework-free:
// the HTTP fetcher is an argument, so tests hand it a local server's answers.
import { z } from "zod";
import { readBodyCapped } from "../bounded-body";
import { AppError } from "../errors";
import { importLimits, listingProblem, stopped } from "./import-limits";

export interface LangfuseSource {
  /** The Langfuse base URL, e.g. https://cloud.langfuse.com (or a Lectern's own URL). */
  url: string;
  publicKey: string;
  secretKey: string;
}

export const langfuseSourceInput = z.object({
  url: z
    .url({ error: "url must be the Langfuse base URL, e.g. https://cloud.langfuse.com" })
    .refine((u) => /^https?:\/\//.test(u), { error: "url must start with http:// or https://" })
    // The keys go in the Authorization header; a base URL is only scheme, host, port and path.
    .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), {
      error: "url must not contain a user name or password: give the keys as publicKey and secretKey",
    })
    .refine((u) => !URL.canParse(u) || (!new URL(u).search && !new URL(u).hash && !/[?#]/.test(u)), {
      error: "url must be a base URL without a query string or a fragment (# or ?)",
    }),
  publicKey: z.string({ error: "publicKey is required" }).min(1, "publicKey is required").max(500),
  secretKey: z.string({ error: "secretKey is required" }).min(1, "secretKey is required").max(500),
});

export type Fetcher = (
  url: string,
  init: { method: string; headers: Record<string, string>; signal?: AbortSignal },
) => Promise<Response>;

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

/** Waits `ms`, or less when `signal` ends first (the next request then says why). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => (clearTimeout(timer), signal.removeEventListener("abort", done), resolve());
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });

/** Requests to one Langfuse: Basic auth, a bounded wait on 429/5xx, every failure as an AppError naming Langfuse. */
class SourceClient {
  private readonly auth: string;
  private readonly base: string;
  /** Bytes of answers read so far (importLimits.bytes). */
  private bytes = 0;
  constructor(
    private readonly source: LangfuseSource,
    private readonly fetcher: Fetcher,
    private readonly signal: AbortSignal,
  ) {
    this.auth = `Basic ${Buffer.from(`${source.publicKey}:${source.secretKey}`).toString("base64")}`;
    this.base = source.url.replace(/\/+$/, "");
  }

  /**
   * A request that could not be made or read. What Lectern refused (a private address, a redirect, an
   * answer over the size cap: lib/llm/guarded-fetch.ts) says so; other failures name only their code.
   */
  private unreachable(e: unknown): AppError {
    const err = e as Error & { cause?: Error & { code?: string } };
    const refused = [err, err.cause].find((x) => x?.name === "RefusedCallError");
    if (refused)
      return new AppError("unprocessable", `Lectern did not read ${this.base}: ${refused.message}.`, { field: "url" });
    return new AppError(
      "unprocessable",
      `Cannot reach Langfuse at ${this.base}: ${err.cause?.code ?? err.message}. Check the URL; Lectern's server must be able to reach it.`,
      { field: "url" },
    );
  }

  async get(path: string): Promise<{ status: number; body: unknown }> {
    for (let attempt = 0; ; attempt++) {
      if (this.signal.aborted) throw stopped(this.signal);
      let res: Response;
      try {
        res = await this.fetcher(this.base + path, {
          method: "GET",
          headers: { authorization: this.auth, accept: "application/json" },
          signal: this.signal,
        });
      } catch (e) {
        throw this.signal.aborted ? stopped(this.signal) : this.unreachable(e);
      }
      if ((res.status === 429 || res.status >= 500) && attempt < 4) {
        const wait = Number(res.headers.get("retry-after"));
        await sleep(Number.isFinite(wait) && wait > 0 ? Math.min(wait, 30) * 1000 : 500 * 2 ** attempt, this.signal);
        continue;
      }
      // Read no further than what is left of the import's bytes: a page of a gigabyte stops at the limit.
      const overLimit = () =>
        new AppError(
          "unprocessable",
          `The import read more than ${importLimits.bytes / 2 ** 20} MiB from ${this.base}, the most one import reads; import one folder at a time (folder).`,
          { field: "folder", limit: importLimits.bytes },
        );
      let text: string;
      try {
        text = (await readBodyCapped(res.body, importLimits.bytes - this.bytes, overLimit)).toString("utf8");
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw this.signal.aborted ? stopped(this.signal) : this.unreachable(e);
      }
      this.bytes += Buffer.byteLength(text);
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (res.status === 401 || res.status === 403)
        throw new AppError(
          "invalid_input",
          `Langfuse at ${this.base} refused the keys (HTTP ${res.status}): check the public and secret key of the project to import.`,
          { field: "secretKey", status: res.status },
        );
      if (res.status !== 200 && res.status !== 404)
        throw new AppError("unprocessable", `Langfuse at ${this.base} answered GET ${path} with HTTP ${res.status}.`, {
          field: "url",
          status: res.status,
        });
      if (res.status === 200 && body === undefined)
        throw new AppError(
          "unprocessable",
          `${this.base} answered GET ${path} with something that is not JSON: is it a Langfuse base URL?`,
          { field: "url" },
        );
      return { status: res.status, body };
    }
  }
}

async function pool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, run));
  return out;
}

const inFolder = (name: string, folder?: string) =>
  !folder || name === folder.replace(/\/+$/, "") || name.startsWith(`${folder.replace(/\/+$/, "")}/`);

/** Every prompt (optionally only one folder's) with every version, oldest first. */
export async function readLangfuse(
  source: LangfuseSource,
  fetcher: Fetcher,
  opts: { folder?: string; concurrency?: number; signal?: AbortSignal } = {},
): Promise<SourcePrompt[]> {
  const client = new SourceClient(source, fetcher, opts.signal ?? new AbortController().signal);
  const listed: { name: string; versions: number[] }[] = [];
  for (let page = 1; ; page++) {
    const r = await client.get(`/api/public/v2/prompts?page=${page}&limit=100`);
    const parsed = listPage.safeParse(r.body);
    if (r.status !== 200 || !parsed.success)
      throw new AppError(
        "unprocessable",
        `${source.url} did not answer a Langfuse prompt list: is it a Langfuse base URL?`,
        {
          field: "url",
        },
      );
    listed.push(...parsed.data.data);
    const totalPages = parsed.data.meta?.totalPages ?? 1;
    if (page >= totalPages || parsed.data.data.length === 0) break;
    if (page >= importLimits.pages)
      throw new AppError(
        "unprocessable",
        `${source.url} lists more than ${importLimits.pages} pages of prompts, the most one import reads; import one folder at a time (folder).`,
        { field: "folder", limit: importLimits.pages },
      );
  }
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
  const versions = await pool(jobs, opts.concurrency ?? 4, async ({ name, v }) => {
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
  });
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
