import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig, type ConfigFlags, type ConfigIo } from "./config";
import { CliError } from "./errors";

const cwd = "/repo/app";
const fileAt = (p: string, json: unknown): ConfigIo => ({ exists: (x) => x === p, read: () => JSON.stringify(json) });
const noFile: ConfigIo = { exists: () => false, read: () => "" };
const repoFile = fileAt("/repo/lectern.config.json", {
  baseUrl: "https://file.example",
  apiKey: "file-key",
  dir: "prompts",
  environment: "staging",
  typesOut: "src/lectern.d.ts",
});
/** What repoFile resolves to: its paths taken relative to the file. */
const fromRepoFile = {
  baseUrl: "https://file.example",
  apiKey: "file-key",
  dir: "/repo/prompts",
  environment: "staging",
  typesOut: "/repo/src/lectern.d.ts",
};

describe("config precedence: flags, then environment, then lectern.config.json, then defaults", () => {
  it.each<
    [
      string,
      ConfigFlags,
      Record<string, string>,
      ConfigIo,
      { baseUrl?: string; apiKey?: string; dir: string; environment?: string; typesOut: string },
    ]
  >([
    [
      "defaults",
      {},
      {},
      noFile,
      {
        baseUrl: undefined,
        apiKey: undefined,
        dir: "/repo/app/prompts",
        environment: undefined,
        typesOut: "/repo/app/lectern.d.ts",
      },
    ],
    ["the file, found in a parent, paths relative to it", {}, {}, repoFile, fromRepoFile],
    [
      "environment over the file",
      {},
      { LECTERN_BASE_URL: "https://env.example/", LECTERN_API_KEY: "env-key" },
      repoFile,
      { ...fromRepoFile, baseUrl: "https://env.example", apiKey: "env-key" },
    ],
    [
      "flags over everything, paths relative to cwd",
      { "base-url": "http://flag.example", "api-key": "flag-key", dir: "p", environment: "production", out: "t.d.ts" },
      { LECTERN_BASE_URL: "https://env.example", LECTERN_API_KEY: "env-key" },
      repoFile,
      {
        baseUrl: "http://flag.example",
        apiKey: "flag-key",
        dir: "/repo/app/p",
        environment: "production",
        typesOut: "/repo/app/t.d.ts",
      },
    ],
    [
      "empty environment values count as unset",
      {},
      { LECTERN_BASE_URL: "", LECTERN_API_KEY: "" },
      repoFile,
      fromRepoFile,
    ],
  ])("%s", (_what, flags, env, io, expected) => {
    const c = resolveConfig(flags, env, cwd, io);
    expect({
      baseUrl: c.baseUrl,
      apiKey: c.apiKey,
      dir: c.dir,
      environment: c.environment,
      typesOut: c.typesOut,
    }).toEqual(expected);
  });

  it("records where each setting came from", () => {
    const c = resolveConfig({ dir: "x" }, { LECTERN_API_KEY: "k" }, cwd, repoFile);
    expect(c.sources).toMatchObject({ dir: "flag", apiKey: "env", baseUrl: "file" });
    expect(c.file).toBe(path.join("/repo", "lectern.config.json"));
  });

  it("warns when the config file holds an API key, and only then", () => {
    const c = resolveConfig({}, { LECTERN_API_KEY: "k" }, cwd, repoFile);
    expect(c.apiKey).toBe("k");
    expect(c.warnings).toEqual([expect.stringMatching(/lectern\.config\.json holds an API key.*LECTERN_API_KEY/)]);
    const clean = fileAt("/repo/lectern.config.json", { baseUrl: "https://file.example" });
    expect(resolveConfig({}, { LECTERN_API_KEY: "k" }, cwd, clean).warnings).toEqual([]);
  });

  it("--config names the file explicitly", () => {
    const io = fileAt("/elsewhere/c.json", { baseUrl: "https://other.example" });
    expect(resolveConfig({ config: "/elsewhere/c.json" }, {}, cwd, io).baseUrl).toBe("https://other.example");
  });
});

describe("config errors are usage errors (exit 2) that name the problem", () => {
  it.each<[string, ConfigFlags, ConfigIo, RegExp]>([
    ["an unknown key (a typo)", {}, fileAt("/repo/lectern.config.json", { baseURL: "x" }), /unknown key baseURL/],
    ["a value that is not a string", {}, fileAt("/repo/lectern.config.json", { dir: 3 }), /dir must be a string/],
    [
      "a file that is not JSON",
      {},
      { exists: (p) => p === "/repo/lectern.config.json", read: () => "{oops" },
      /not valid JSON/,
    ],
    ["a base URL that is not http(s)", { "base-url": "ftp://x" }, noFile, /http\(s\) URL/],
    ["a missing --config file", { config: "nope.json" }, noFile, /no such config file/],
    ["a bad timeout", { timeout: "soon" }, noFile, /--timeout/],
  ])("%s", (_what, flags, io, message) => {
    let err: unknown;
    try {
      resolveConfig(flags, {}, cwd, io);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toMatch(message);
  });
});
