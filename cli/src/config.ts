// Where the CLI talks to and where the prompts live: flags win over environment variables, which win
// over lectern.config.json (found in the working directory or the nearest parent), which wins over
// defaults. Paths in the config file are relative to the file; paths in flags to the working directory.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { usageError } from "./errors";

export const configFileName = "lectern.config.json";
export const configKeys = ["baseUrl", "apiKey", "dir", "environment", "folder", "typesOut"] as const;
type ConfigKey = (typeof configKeys)[number];

export interface Config {
  baseUrl?: string;
  apiKey?: string;
  /** Absolute path of the prompts directory. */
  dir: string;
  environment?: string;
  /** Only prompts in this folder (name prefix) are pulled, pushed and listed. */
  folder?: string;
  /** Absolute path of the generated declarations. */
  typesOut: string;
  timeoutMs: number;
  /** The config file that was read, if any. */
  file?: string;
  /** Which source each setting came from, for `lectern status` and error messages. */
  sources: Partial<Record<ConfigKey, "flag" | "env" | "file" | "default">>;
  /** Said once on stderr before the command runs (an API key in the config file). */
  warnings: string[];
}

export interface ConfigFlags {
  "base-url"?: string;
  "api-key"?: string;
  config?: string;
  dir?: string;
  environment?: string;
  folder?: string;
  out?: string;
  timeout?: string;
}

export interface ConfigIo {
  exists(p: string): boolean;
  read(p: string): string;
}

const fsIo: ConfigIo = { exists: existsSync, read: (p) => readFileSync(p, "utf8") };

/** The nearest lectern.config.json from cwd upwards. */
export function findConfigFile(cwd: string, io: ConfigIo = fsIo): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, configFileName);
    if (io.exists(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readConfigFile(file: string, io: ConfigIo): Partial<Record<ConfigKey, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(io.read(file));
  } catch (e) {
    throw usageError(`${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw usageError(`${file}: must be a JSON object`, { file });
  const out: Partial<Record<ConfigKey, string>> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (k === "$schema") continue;
    if (!(configKeys as readonly string[]).includes(k))
      throw usageError(`${file}: unknown key ${k}; expected ${configKeys.join(", ")}`, { file, field: k });
    if (typeof v !== "string") throw usageError(`${file}: ${k} must be a string`, { file, field: k });
    out[k as ConfigKey] = v;
  }
  return out;
}

export function resolveConfig(
  flags: ConfigFlags,
  env: Record<string, string | undefined>,
  cwd: string,
  io: ConfigIo = fsIo,
): Config {
  const file = flags.config ? path.resolve(cwd, flags.config) : findConfigFile(cwd, io);
  if (flags.config && !io.exists(file!)) throw usageError(`${file}: no such config file`, { file });
  const fromFile = file ? readConfigFile(file, io) : {};
  const fileDir = file ? path.dirname(file) : cwd;
  const sources: Config["sources"] = {};
  const nonEmpty = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);

  const pick = (key: ConfigKey, flag: string | undefined, envName?: string): string | undefined => {
    const candidates: [string | undefined, "flag" | "env" | "file"][] = [
      [nonEmpty(flag), "flag"],
      [envName ? nonEmpty(env[envName]) : undefined, "env"],
      [nonEmpty(fromFile[key]), "file"],
    ];
    const found = candidates.find(([v]) => v !== undefined);
    if (!found) return undefined;
    sources[key] = found[1];
    return found[0];
  };
  const located = (key: ConfigKey, flag: string | undefined, fallback: string) => {
    const v = pick(key, flag);
    if (v === undefined) {
      sources[key] = "default";
      return path.resolve(cwd, fallback);
    }
    return path.resolve(sources[key] === "file" ? fileDir : cwd, v);
  };

  const baseUrl = pick("baseUrl", flags["base-url"], "LECTERN_BASE_URL");
  if (baseUrl !== undefined && !/^https?:\/\/[^/]/.test(baseUrl))
    throw usageError(`base URL must be an http(s) URL, got ${JSON.stringify(baseUrl)} (from ${sources.baseUrl})`, {
      field: "baseUrl",
    });
  let timeoutMs = 30_000;
  if (flags.timeout !== undefined) {
    const s = Number(flags.timeout);
    if (!Number.isFinite(s) || s <= 0)
      throw usageError(`--timeout must be a number of seconds greater than 0, got ${JSON.stringify(flags.timeout)}`, {
        field: "timeout",
      });
    timeoutMs = s * 1000;
  }
  const warnings: string[] = [];
  if (fromFile.apiKey !== undefined)
    warnings.push(
      `${file} holds an API key: anyone who can read that file (or the repository it is committed to) can use it. ` +
        "Remove apiKey from it and set LECTERN_API_KEY (or pass --api-key) instead.",
    );
  return {
    baseUrl: baseUrl?.replace(/\/+$/, ""),
    apiKey: pick("apiKey", flags["api-key"], "LECTERN_API_KEY"),
    dir: located("dir", flags.dir, "prompts"),
    environment: pick("environment", flags.environment),
    folder: pick("folder", flags.folder)?.replace(/^\/+|\/+$/g, ""),
    typesOut: located("typesOut", flags.out, "lectern.d.ts"),
    timeoutMs,
    file,
    sources,
    warnings,
  };
}
