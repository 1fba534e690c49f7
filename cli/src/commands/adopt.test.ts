// lectern adopt in process (runCli with captured output) against a fetch that plays the server: the
// dry run changes nothing and asks no server; a real run creates each prompt with its variables, makes
// it live in development, and takes a free name when the proposal is taken; --write in a git tree with
// uncommitted changes to its files, or files git ignores, is refused before anything is created.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempTrees } from "../../test/temp-tree";
import { runCli } from "../main";

const source = `export async function reply(client: any, customer: string, count: number) {
  return client.chat.completions.create({
    model: "m",
    messages: [{ role: "system", content: \`Help \${customer} with \${count} orders.\` }],
  });
}
export async function other(client: any, system: string) {
  return client.messages.create({ system, messages: [] });
}
`;

/** git in `dir`, as a committer with a name. */
const gitIn =
  (dir: string) =>
  (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, stdio: "pipe" });

const tree = tempTrees("lectern-adopt-cmd-");
const app = () => tree({ "support.ts": source });

interface Call {
  method: string;
  path: string;
  body?: Record<string, unknown>;
}

/** A fetch that knows the prompts in `existing` and records every request. */
function fakeServer(existing: string[]) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const u = new URL(url);
    const body = init.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
    calls.push({ method: init.method ?? "GET", path: decodeURIComponent(u.pathname), body });
    const json = (status: number, value: unknown) =>
      new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
    if (init.method === "GET") {
      const name = decodeURIComponent(u.pathname.replace("/api/v1/prompts/", ""));
      return existing.includes(name)
        ? json(200, { prompt: { name }, latestVersion: { version: 1 }, environments: {} })
        : json(404, { error: { code: "not_found", message: "no such prompt" } });
    }
    if (u.pathname === "/api/v1/prompts") return json(201, { prompt: {}, version: { version: 1 }, warnings: [] });
    return json(201, { deployment: {} });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

async function run(
  argv: string[],
  cwd: string,
  fetch?: typeof globalThis.fetch,
  env: Record<string, string | undefined> = {},
) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    cwd,
    env,
    stdout: { write: (s) => void (stdout += s) },
    stderr: { write: (s) => void (stderr += s) },
    readStdin: async () => "",
    fetch,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

const server = ["--base-url", "http://lectern.test", "--api-key", "k"];

describe("lectern adopt", () => {
  it("--dry-run prints each prompt (file, line, name, variables) and what it left alone; asks no server", async () => {
    const dir = app();
    const r = await run(["adopt", ".", "--dry-run", "--write"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "+ support.ts:4 support/reply/system (chat, the messages of client.chat.completions.create) variables: customer: string, count: number",
    );
    expect(r.stdout).toContain(
      "left alone: support.ts:8 the system of client.messages.create: system is a parameter, not text written in the code",
    );
    expect(r.stdout).toContain("would fetch support/reply/system");
    expect(r.stdout).toContain("Dry run: 1 prompt found, 2 left alone; nothing was created or changed");
    expect(readFileSync(path.join(dir, "support.ts"), "utf8")).toBe(source);
  }, 60_000);

  it("creates each prompt with its typed variables and makes it live in development", async () => {
    const dir = app();
    const s = fakeServer(["support/reply/system"]);
    const r = await run(["adopt", ".", "--json", ...server], dir, s.fetch);
    expect(r.code, r.stderr).toBe(0);
    const writes = s.calls.filter((c) => c.method === "POST");
    expect(writes).toEqual([
      {
        method: "POST",
        path: "/api/v1/prompts",
        body: expect.objectContaining({
          name: "support/reply/system-2",
          type: "chat",
          tags: ["adopted"],
          template: [{ role: "system", content: "Help {{customer}} with {{count}} orders." }],
          variables: [
            { name: "customer", type: "string", required: true, description: "from customer" },
            { name: "count", type: "number", required: true, description: "from count" },
          ],
        }),
      },
      {
        method: "POST",
        path: "/api/v1/prompts/support/reply/system-2/deployments",
        body: { environment: "development", version: 1, reason: "lectern adopt" },
      },
    ]);
    const doc = JSON.parse(r.stdout) as { created: { name: string; status: string }[] };
    expect(doc.created).toEqual([expect.objectContaining({ name: "support/reply/system-2", status: "created" })]);
    expect(readFileSync(path.join(dir, "support.ts"), "utf8")).toBe(source);
  }, 60_000);

  it("--write rewrites the call site after creating the prompt", async () => {
    const dir = app();
    const r = await run(["adopt", ".", "--write", "--environment", "staging", ...server], dir, fakeServer([]).fetch);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(path.join(dir, "support.ts"), "utf8");
    expect(text).toContain('import { createClient } from "@lectern/sdk";');
    expect(text).toContain('environment: process.env.LECTERN_ENVIRONMENT ?? "staging"');
    expect(text).toContain('(await lectern.getPrompt("support/reply/system", {');
    expect(text).toContain(".render({ customer, count })");
    expect(r.stdout).toContain("1 prompt created, 2 left alone, 1 call sites rewritten");
  }, 60_000);

  /** The environment of a run in a git tree: PATH alone, so that git is found. */
  const gitEnv = { PATH: process.env.PATH };
  /** adopt --write refuses (2, saying `why`, posting nothing, support.ts left as `left`); --force then writes it. */
  async function refusedThenForced(dir: string, why: string, left: string) {
    const s = fakeServer([]);
    const refused = await run(["adopt", ".", "--write", ...server], dir, s.fetch, gitEnv);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(why);
    expect(s.calls.filter((c) => c.method === "POST")).toEqual([]);
    expect(readFileSync(path.join(dir, "support.ts"), "utf8")).toBe(left);

    const forced = await run(["adopt", ".", "--write", "--force", ...server], dir, s.fetch, gitEnv);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "support.ts"), "utf8")).toContain("lectern.getPrompt(");
  }

  it("--write refuses a git tree whose files it would touch have uncommitted changes, creating nothing; --force goes on", async () => {
    const dir = app();
    const git = gitIn(dir);
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "app");
    writeFileSync(path.join(dir, "support.ts"), source + "// edited\n");
    await refusedThenForced(
      dir,
      "--write would change files with uncommitted changes: support.ts.",
      source + "// edited\n",
    );

    git("checkout", "--", "support.ts");
    const clean = await run(["adopt", ".", "--write", ...server], dir, fakeServer([]).fetch, gitEnv);
    expect(clean.code, clean.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "support.ts"), "utf8")).toContain("lectern.getPrompt(");
  }, 60_000);

  it("--write refuses a file git ignores (git keeps no copy to undo with), creating nothing; --force goes on", async () => {
    const dir = app();
    const git = gitIn(dir);
    writeFileSync(path.join(dir, ".gitignore"), "support.ts\n");
    git("init", "-q");
    git("add", ".gitignore");
    git("commit", "-qm", "ignore");
    await refusedThenForced(dir, "--write would change files git ignores: support.ts.", source);
  }, 60_000);

  it("refuses a path that is not a directory, changing nothing", async () => {
    const dir = app();
    const r = await run(["adopt", "support.ts"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("support.ts is not a directory");
  });
});
