// Reading another system's REST API for an import (Langfuse's in lib/langfuse; PromptLayer's in lib/compat):
// GET requests through the fetcher handed in (the SSRF-guarded fetch in production, a local server's in tests),
// a bounded wait on 429/5xx, the import's bytes counted against importLimits.bytes, its signal (deadline, the
// asker leaving) obeyed, and every failure an AppError naming the system. Framework-free.
import { z } from "zod";
import { readBodyCapped } from "../bounded-body";
import { AppError } from "../errors";
import { importLimits, importStopped as stopped } from "./imported";

/**
 * A source's base URL as an import takes it: http(s), only scheme, host, port and path (the key goes in a header).
 * `what`: "the Langfuse base URL, e.g. …"; `keys`: where the key goes instead ("the keys as publicKey and secretKey").
 */
export const sourceUrl = (what: string, keys: string) =>
  z
    .url({ error: `url must be ${what}` })
    .refine((u) => /^https?:\/\//.test(u), { error: "url must start with http:// or https://" })
    .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), {
      error: `url must not contain a user name or password: give ${keys}`,
    })
    .refine((u) => !URL.canParse(u) || (!new URL(u).search && !new URL(u).hash && !/[?#]/.test(u)), {
      error: "url must be a base URL without a query string or a fragment (# or ?)",
    });

export type Fetcher = (
  url: string,
  init: { method: string; headers: Record<string, string>; signal?: AbortSignal },
) => Promise<Response>;

/** Which system is read, where, with which headers, and what to say when it refuses the key. */
export interface SourceOptions {
  /** Its name in messages: "Langfuse", "PromptLayer". */
  system: string;
  base: string;
  /** The key's headers (Authorization: Basic, X-API-KEY). */
  headers: Record<string, string>;
  /** The import's field holding the key, and what to check, for a 401/403. */
  refusedKeys: { field: string; hint: string };
}

/** Waits `ms`, or less when `signal` ends first (the next request then says why). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => (clearTimeout(timer), signal.removeEventListener("abort", done), resolve());
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });

/** Requests to one source: its key's headers, a bounded wait on 429/5xx, every failure an AppError naming it. */
export class SourceClient {
  private readonly base: string;
  /** Bytes of answers read so far (importLimits.bytes). */
  private bytes = 0;
  constructor(
    private readonly source: SourceOptions,
    private readonly fetcher: Fetcher,
    private readonly signal: AbortSignal,
  ) {
    this.base = source.base.replace(/\/+$/, "");
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
      `Cannot reach ${this.source.system} at ${this.base}: ${err.cause?.code ?? err.message}. Check the URL; Lectern's server must be able to reach it.`,
      { field: "url" },
    );
  }

  /** The answer's text, read no further than what is left of the import's bytes. */
  private async read(res: Response): Promise<string> {
    const overLimit = () =>
      new AppError(
        "unprocessable",
        `The import read more than ${importLimits.bytes / 2 ** 20} MiB from ${this.base}, the most one import reads; import one folder at a time (folder).`,
        { field: "folder", limit: importLimits.bytes },
      );
    try {
      const text = (await readBodyCapped(res.body, importLimits.bytes - this.bytes, overLimit)).toString("utf8");
      this.bytes += Buffer.byteLength(text);
      return text;
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw this.signal.aborted ? stopped(this.signal) : this.unreachable(e);
    }
  }

  /** GET `path`: 200 with its JSON, or 404; anything else is an AppError naming the source. */
  async get(path: string): Promise<{ status: number; body: unknown }> {
    for (let attempt = 0; ; attempt++) {
      if (this.signal.aborted) throw stopped(this.signal);
      let res: Response;
      try {
        res = await this.fetcher(this.base + path, {
          method: "GET",
          headers: { ...this.source.headers, accept: "application/json" },
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
      const text = await this.read(res);
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, body: this.checked(res.status, body, path) };
    }
  }

  private checked(status: number, body: unknown, path: string): unknown {
    const { system, refusedKeys } = this.source;
    if (status === 401 || status === 403)
      throw new AppError(
        "invalid_input",
        `${system} at ${this.base} refused the keys (HTTP ${status}): ${refusedKeys.hint}.`,
        { field: refusedKeys.field, status },
      );
    if (status !== 200 && status !== 404)
      throw new AppError("unprocessable", `${system} at ${this.base} answered GET ${path} with HTTP ${status}.`, {
        field: "url",
        status,
      });
    if (status === 200 && body === undefined)
      throw new AppError(
        "unprocessable",
        `${this.base} answered GET ${path} with something that is not JSON: is it a ${system} base URL?`,
        { field: "url" },
      );
    return body;
  }
}

/** Runs `work` on every item, at most `size` at once, keeping the items' order. */
export async function pool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, run));
  return out;
}
