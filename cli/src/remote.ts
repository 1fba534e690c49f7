// The server side of pull, push and status: prompts, their versions and what each environment serves,
// read through the management API (admin key).
import { isPromptName } from "../../lib/registry/content-model";
import { CliError, exitCodes } from "./errors";
import type { Content, TemplateContent } from "../../lib/registry/content";
import { promptPath, type Api } from "./http";

export interface PromptSummary {
  name: string;
  description: string;
  tags: string[];
  latestVersion: number;
}

export interface VersionBody {
  version: number;
  type: Content["type"];
  /** A text or chat prompt's template. */
  template?: TemplateContent["template"];
  /** A skill's files by path. */
  files?: Record<string, string>;
  /** A skill's executable files (path → "0755"). */
  modes?: Record<string, "0755">;
  variables: Content["variables"];
  config: Content["config"];
  examples: Content["examples"];
  commitMessage: string;
  author: string;
  createdAt: string;
}

export interface PromptDetail {
  prompt: PromptSummary;
  latestVersion: VersionBody;
  /** Environment → what it serves (null: nothing). */
  environments: Record<string, { version: number; since: string } | null>;
}

export const contentOf = (
  v: Pick<VersionBody, "type" | "template" | "files" | "modes" | "variables" | "config" | "examples">,
): Content =>
  (v.type === "skill"
    ? {
        type: v.type,
        files: v.files ?? {},
        ...(v.modes ? { modes: v.modes } : {}),
        variables: v.variables,
        config: v.config,
        examples: v.examples,
      }
    : {
        type: v.type,
        template: v.template,
        variables: v.variables,
        config: v.config,
        examples: v.examples,
      }) as Content;

export async function listPrompts(api: Api, folder?: string): Promise<PromptSummary[]> {
  const out: PromptSummary[] = [];
  for (let offset = 0; ; offset += 200) {
    const q = new URLSearchParams({ limit: "200", offset: String(offset) });
    if (folder) q.set("folder", folder);
    const page = await api.get<{ data: PromptSummary[]; pagination: { total: number } }>(`/api/v1/prompts?${q}`);
    // Names become file paths: a server (or whoever sits between) could send ../../x. Checked as the
    // server checks the names it accepts, before anything is written.
    for (const p of page.data) assertPromptName(p?.name);
    out.push(...page.data);
    if (page.data.length < 200 || out.length >= page.pagination.total) return out;
  }
}

/** Throws (exit 4: the server answered something Lectern never sends) unless `name` is a valid prompt name. */
export function assertPromptName(name: unknown): asserts name is string {
  if (!isPromptName(name))
    throw new CliError(
      `The server sent ${JSON.stringify(name)}, which is not a valid prompt name (lowercase letters, digits, '-', '_', '/'): nothing was written. Is the base URL right?`,
      exitCodes.network,
    );
}

/** Throws (exit 4) unless `version` is a version number. */
export function assertVersionNumber(version: unknown): asserts version is number {
  if (!Number.isSafeInteger(version) || (version as number) < 1)
    throw new CliError(
      `The server sent ${JSON.stringify(version)}, which is not a valid version number: nothing was written. Is the base URL right?`,
      exitCodes.network,
    );
}

/** Versions already fetched, by prompt and number: versions are immutable, so a cache never goes stale. */
export class Remote {
  private readonly versions = new Map<string, Promise<VersionBody>>();
  private readonly details = new Map<string, Promise<PromptDetail | undefined>>();

  constructor(readonly api: Api) {}

  detail(name: string): Promise<PromptDetail | undefined> {
    let d = this.details.get(name);
    if (!d) {
      d = this.api.find<PromptDetail>(promptPath(name)).then((r) => {
        if (r) this.versions.set(`${name}\u0000${r.latestVersion.version}`, Promise.resolve(r.latestVersion));
        return r;
      });
      this.details.set(name, d);
    }
    return d;
  }

  /** Forget a prompt's details (after writing to it). */
  forget(name: string): void {
    this.details.delete(name);
  }

  version(name: string, version: number): Promise<VersionBody> {
    const key = `${name}\u0000${version}`;
    let v = this.versions.get(key);
    if (!v) {
      v = this.api.get<VersionBody>(promptPath(name, `/versions/${version}`));
      this.versions.set(key, v);
    }
    return v;
  }

  async environments(): Promise<{ name: string; protected: boolean }[]> {
    return (await this.api.get<{ data: { name: string; protected: boolean }[] }>("/api/v1/environments")).data;
  }
}

/** The latest content of each named prompt the server has (for the partials a prompt file includes). */
export function latestContents(remote: Remote): (names: string[]) => Promise<Map<string, Content>> {
  return async (names) => {
    const out = new Map<string, Content>();
    for (const name of names.filter((n) => isPromptName(n))) {
      const d = await remote.detail(name);
      if (d) out.set(name, contentOf(d.latestVersion));
    }
    return out;
  };
}

/** Runs fn over items with at most `limit` in flight, keeping the order of results. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}
