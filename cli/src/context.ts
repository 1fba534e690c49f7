// What every command gets: its arguments, the resolved configuration, the output, and the server
// (created on first use, so commands that fail validation never need a base URL or a key).
import type { Config } from "./config";
import { CliError, exitCodes, usageError, type ExitCode } from "./errors";
import { Api } from "./http";
import type { Output } from "./output";
import { Remote } from "./remote";

export type Flags = Record<string, string | boolean | undefined>;

export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(s: string): void };
  stderr: { write(s: string): void };
  readStdin(): Promise<string>;
  fetch?: typeof fetch;
  isTTY: boolean;
}

export interface Context {
  io: Io;
  flags: Flags;
  args: string[];
  config: Config;
  out: Output;
  api(): Api;
  remote(): Remote;
}

export interface CommandResult {
  exitCode: ExitCode;
  /** The command's part of the --json document. */
  result: Record<string, unknown>;
}

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  value?: string;
  description: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  details?: string;
  options: Record<string, OptionSpec>;
  args: { min: number; max: number };
  run(ctx: Context): Promise<CommandResult>;
}

export function makeContext(io: Io, flags: Flags, args: string[], config: Config, out: Output): Context {
  let api: Api | undefined;
  let remote: Remote | undefined;
  const ctx: Context = {
    io,
    flags,
    args,
    config,
    out,
    api() {
      if (api) return api;
      if (!config.baseUrl)
        throw usageError(
          "No Lectern server: pass --base-url, set LECTERN_BASE_URL, or put baseUrl in lectern.config.json",
        );
      if (!config.apiKey)
        throw new CliError(
          "No API key: pass --api-key or set LECTERN_API_KEY (an admin key; keep it out of lectern.config.json in a repository)",
          exitCodes.auth,
          { code: "unauthorized" },
        );
      api = new Api({ baseUrl: config.baseUrl, apiKey: config.apiKey, timeoutMs: config.timeoutMs, fetch: io.fetch });
      return api;
    },
    remote() {
      remote ??= new Remote(ctx.api());
      return remote;
    },
  };
  return ctx;
}

export const str = (flags: Flags, name: string): string | undefined =>
  typeof flags[name] === "string" ? (flags[name] as string) : undefined;
export const bool = (flags: Flags, name: string): boolean => flags[name] === true;

/** A version number argument: a whole number from 1. */
export function versionArg(value: string, what: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw usageError(`${what} must be a version number (1, 2, …), got ${JSON.stringify(value)}`);
  return n;
}
