// The CLI in process (runCli with captured output): argument handling, exit codes, and --json, with
// the server replaced by a fetch that answers what each case needs. The real server is in
// cli/test/*.api.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./main";

let dir: string;
let closedPort: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "lectern-cli-"));
  mkdirSync(path.join(dir, "prompts"));
  writeFileSync(
    path.join(dir, "prompts", "ok.yaml"),
    "type: text\ntemplate: Hi {{name}}\nvariables:\n  - name: name\n",
  );
  closedPort = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
});
afterAll(() => {});

const answer = (status: number, body: unknown) =>
  (async () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    })) as unknown as typeof fetch;

async function run(argv: string[], opts: { env?: Record<string, string>; fetch?: typeof fetch; cwd?: string } = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    cwd: opts.cwd ?? dir,
    env: opts.env ?? {},
    stdout: { write: (s) => void (stdout += s) },
    stderr: { write: (s) => void (stderr += s) },
    readStdin: async () => "",
    fetch: opts.fetch,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

const server = ["--base-url", "http://lectern.test", "--api-key", "k"];

describe("exit codes", () => {
  it.each<[string, string[], { env?: Record<string, string>; fetch?: typeof fetch }, number, RegExp]>([
    ["help", ["--help"], {}, 0, /Usage: lectern <command>/],
    ["a command's help", ["push", "--help"], {}, 0, /--dry-run/],
    ["the version", ["--version"], {}, 0, /^(dev|\d+\.\d+\.\d+)/],
    ["no command", [], {}, 2, /Usage/],
    ["an unknown command", ["pusj"], {}, 2, /unknown command "pusj"/],
    ["an unknown flag", ["push", "--dry-runn"], {}, 2, /Unknown option '--dry-runn'/],
    ["a missing argument", ["promote", "x"], {}, 2, /missing arguments/],
    ["one argument too many", ["status", "extra"], {}, 2, /unexpected argument "extra"/],
    [
      "a bad version number",
      ["promote", "x", "production", "--version", "two", ...server],
      { fetch: answer(200, { latestVersion: { version: 1 }, environments: { production: null } }) },
      2,
      /--version must be a version number/,
    ],
    ["no server configured", ["status", "--api-key", "k"], {}, 2, /No Lectern server/],
    ["no API key", ["status", "--base-url", "http://lectern.test"], {}, 3, /No API key/],
    [
      "a key the server refuses",
      ["status", ...server],
      { fetch: answer(401, { error: { code: "unauthorized", message: "Invalid API key." } }) },
      3,
      /Invalid API key/,
    ],
    [
      "a runtime key where an admin key is needed",
      ["status", ...server],
      {
        fetch: answer(403, {
          error: { code: "forbidden", message: "This endpoint needs an admin API key; a runtime key was sent." },
        }),
      },
      3,
      /admin API key/,
    ],
    [
      "a conflict",
      ["promote", "x", "production", ...server],
      { fetch: answer(409, { error: { code: "conflict", message: "production requires an approved review" } }) },
      1,
      /approved review/,
    ],
    [
      "an unknown prompt",
      ["promote", "x", "production", ...server],
      { fetch: answer(404, { error: { code: "not_found", message: "No prompt named x in this project." } }) },
      1,
      /No prompt named x/,
    ],
    [
      "a server that is down",
      ["status", ...server],
      { fetch: answer(503, { error: { code: "unavailable", message: "The database is unreachable." } }) },
      4,
      /unreachable/,
    ],
    [
      "something that is not Lectern",
      ["status", ...server],
      { fetch: (async () => new Response("<html>", { status: 200 })) as unknown as typeof fetch },
      4,
      /not JSON: is the base URL right/,
    ],
  ])("%s", async (_what, argv, opts, code, message) => {
    const r = await run(argv, opts);
    expect(r.code, r.stdout + r.stderr).toBe(code);
    expect(r.stdout + r.stderr).toMatch(message);
  });

  it("a closed port is a network error (4), after retrying reads", async () => {
    const r = await run(["status", "--base-url", `http://127.0.0.1:${closedPort}`, "--api-key", "k"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Cannot reach Lectern at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it("a validation error is 1 and wins over an unreachable server: no request is made", async () => {
    const bad = mkdtempSync(path.join(tmpdir(), "lectern-cli-bad-"));
    mkdirSync(path.join(bad, "prompts"));
    writeFileSync(path.join(bad, "prompts", "greet.yaml"), "type: text\ntemplate: Hi {{who}}\n");
    let requests = 0;
    const counting = (async () => {
      requests++;
      throw new TypeError("fetch failed");
    }) as unknown as typeof fetch;
    const r = await run(["push", "--base-url", `http://127.0.0.1:${closedPort}`, "--api-key", "k"], {
      cwd: bad,
      fetch: counting,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("prompts/greet.yaml:2: template: Template uses undeclared variables: who");
    expect(requests).toBe(0);
  });
});

describe("--json", () => {
  it("prints one JSON document with the error, and nothing else on stdout", async () => {
    const r = await run(["status", "--json", "--base-url", "http://lectern.test"]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      command: "status",
      exitCode: 3,
      error: { code: "unauthorized" },
    });
    expect(r.stderr).toBe("");
  });

  it("reports validation problems by file, field and line", async () => {
    const r = await run(["validate", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      command: "validate",
      files: ["prompts/ok.yaml"],
      problems: [],
    });
  });

  it("usage errors too", async () => {
    const r = await run(["nope", "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { code: "usage" } });
  });
});

describe("GitHub Actions", () => {
  it("adds workflow annotations for problems in files", async () => {
    const bad = mkdtempSync(path.join(tmpdir(), "lectern-cli-gh-"));
    mkdirSync(path.join(bad, "prompts"));
    writeFileSync(path.join(bad, "prompts", "a.yaml"), "type: text\ntemplate: |\n  line one\n  {{#open}}\n");
    const r = await run(["validate"], { cwd: bad, env: { GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^::error file=prompts\/a\.yaml,line=\d+,title=lectern%3A template::Template does not parse/m,
    );
  });
});

describe("a malicious or intercepted server", () => {
  // Names from the server become file paths: they are checked as the server checks names it accepts.
  const version = {
    version: 1,
    type: "text",
    template: "pwned",
    variables: [],
    config: {},
    createdAt: "2026-01-01T00:00:00Z",
    author: "x",
    commitMessage: "",
  };
  const evil = (name: string, versionNumber: unknown = 1) =>
    (async (input: string | URL) => {
      const url = new URL(String(input));
      const body =
        url.pathname === "/api/v1/prompts"
          ? { data: [{ name, description: "", tags: [], latestVersion: 1 }], pagination: { total: 1 } }
          : url.pathname.endsWith("/versions")
            ? { data: [{ ...version, version: versionNumber }] }
            : { prompt: { name, description: "", tags: [] }, latestVersion: version, environments: {} };
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    }) as unknown as typeof fetch;

  it.each(["../../../../tmp/lectern-pwned", "a/../../../lectern-pwned", "/tmp/lectern-pwned"])(
    "pull refuses the prompt name %j and writes nothing outside its folder",
    async (name) => {
      const cwd = mkdtempSync(path.join(tmpdir(), "lectern-pull-"));
      const r = await run(["pull", ...server], { cwd, fetch: evil(name) });
      expect(r.code, r.stdout + r.stderr).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/not a valid prompt name/);
      expect(existsSync("/tmp/lectern-pwned.yaml")).toBe(false);
      expect(readdirSync(cwd)).toEqual([]);
    },
  );

  it("pull --all-versions refuses a version that is not a number", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "lectern-pull-"));
    const r = await run(["pull", "--all-versions", ...server], {
      cwd,
      fetch: evil("ok", "../../../../../tmp/lectern-pwned-v"),
    });
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/not a valid version number/);
    expect(existsSync("/tmp/lectern-pwned-v.yaml")).toBe(false);
  });
});
