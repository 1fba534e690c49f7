// `lectern import langfuse` as a user runs it: against a local server answering with recorded Langfuse
// answers (test/langfuse-server.ts, no network), and Lectern → Lectern through Lectern's own
// Langfuse-compatible API into a second, fresh server (every version and label must survive). The same
// fresh server takes a snapshot of prompts with odd names (spaces, dots, capitals, brackets, '%'), and
// the CLI pushes and pulls them as files.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl, call } from "../../test/api/client";
import { freePort, ServerProcess } from "../../test/cluster/harness";
import { LangfuseServer } from "../../test/langfuse-server";
import { buildCli, enc, lectern, removeTemps, repo, resolveOn, tempDir, uniq } from "./cli-harness";

let fresh: ServerProcess;
const freshKey = `lk_fresh_${uniq()}${uniq()}${uniq()}`;
let langfuse: LangfuseServer;
let publicId = "";

beforeAll(async () => {
  await buildCli();
  langfuse = new LangfuseServer();
  await langfuse.start();
  publicId = (await call("GET", "/api/v1/project")).body.publicId;
  const port = await freePort();
  fresh = new ServerProcess(port, {
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    LECTERN_DATA_DIR: tempDir("langfuse-import-target"),
    DATABASE_URL: "",
    REDIS_URL: "",
    UPSTASH_REDIS_REST_URL: "",
    UPSTASH_REDIS_REST_TOKEN: "",
    LECTERN_SEED_DEMO: "false",
    LECTERN_BOOTSTRAP_ADMIN_KEY: freshKey,
    LECTERN_ADMIN_EMAIL: "admin@import-target.lectern.dev",
    LECTERN_ADMIN_PASSWORD: "admin-password-for-import-target",
    NEXTAUTH_SECRET: "import-target-secret-import-target-0001",
    LECTERN_TRUSTED_PROXIES: "",
    // The source of the Lectern → Lectern import is the test server on loopback: the operator allows it.
    LECTERN_CONNECTIONS_ALLOW_PRIVATE: "127.0.0.1",
  });
  await fresh.start();
}, 180_000);

afterAll(async () => {
  await fresh?.stop();
  await langfuse?.stop();
  removeTemps();
});

/** Langfuse-compatible GET on a server (Basic auth with its public id). */
async function lf(server: string, key: string, path: string) {
  const project = (await (
    await fetch(`${server}/api/v1/project`, { headers: { authorization: `Bearer ${key}` } })
  ).json()) as {
    publicId: string;
  };
  const res = await fetch(server + path, {
    headers: { authorization: `Basic ${Buffer.from(`${project.publicId}:${key}`).toString("base64")}` },
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("lectern import langfuse, from a Langfuse (recorded answers)", () => {
  const flags = () => ["--url", langfuse.url, "--public-key", langfuse.publicKey, "--secret-key", langfuse.secretKey];
  const env = { LECTERN_BASE_URL: baseUrl, LECTERN_API_KEY: adminKey };

  it("plans with --dry-run, imports, reports what it could not map, and imports nothing the second time", async () => {
    const cwd = tempDir("lf-import");
    const dry = await lectern(["import", "langfuse", ...flags(), "--dry-run"], { cwd, env });
    expect(dry.code, dry.stderr).toBe(1); // "broken" cannot be imported whole
    expect(dry.stdout).toContain(
      "+ support/Reply Bot would be created: versions 1, 2, 4; 3 (deleted in Langfuse) kept as archived copies so numbers match; staging → version 2; production → version 4",
    );
    expect(dry.stderr).toContain("broken: not imported: version 2: config.temperature must be a number");
    expect(dry.stderr).toContain("legacy.prompt: label prod.v1 (on version 1): not a possible environment name");
    expect(dry.stdout).toContain("+ environment canary would be created (for a Langfuse label; no rules)");
    expect(dry.stdout).toMatch(
      /Dry run: 4 prompts would be imported \(7 versions, \d+ label moves\);.*nothing was written/,
    );
    expect((await resolveOn(baseUrl, "support/Reply Bot", "production")).status).toBe(404);

    const real = await lectern(["import", "langfuse", ...flags(), "--json"], { cwd, env });
    const report = JSON.parse(real.stdout);
    expect(real.code).toBe(1);
    expect(report.totals).toMatchObject({ prompts: 5, imported: 4, skipped: 1, versions: 7 });
    const served = await resolveOn(baseUrl, "support/Reply Bot", "production");
    expect(served.body).toMatchObject({ version: 4, type: "chat" });
    expect((served.body.template as unknown[])[1]).toEqual({ type: "placeholder", name: "history" });
    expect((await resolveOn(baseUrl, "Summarizer v2.1", "canary")).body.version).toBe(2);
    const listed = await lf(baseUrl, adminKey, `/api/public/v2/prompts?name=${enc("support/Reply Bot")}`);
    expect(listed.body.data[0]).toMatchObject({ versions: [1, 2, 4], labels: ["latest", "production", "staging"] });

    const again = await lectern(["import", "langfuse", ...flags(), "--folder", "support"], { cwd, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("0 prompts imported (0 versions, 0 label moves); 1 unchanged; 0 not imported");
  });

  it("names a wrong key and a usage mistake without a stack trace", async () => {
    const cwd = tempDir("lf-import-bad");
    const bad = await lectern(
      ["import", "langfuse", "--url", langfuse.url, "--public-key", "pk", "--secret-key", "nope"],
      {
        cwd,
        env,
      },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("refused the keys (HTTP 401)");
    const usage = await lectern(["import", "langfuse", "--url", langfuse.url], { cwd, env });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--public-key and --secret-key");
  });
});

describe("the import reads only what a model connection may reach", () => {
  const importFrom = (url: string) =>
    call("POST", "/api/v1/import/langfuse", { body: { url, publicKey: "pk", secretKey: "sk", dryRun: true } });

  it("refuses private and metadata addresses the operator did not allow, naming why", async () => {
    // The test server allows 127.0.0.1 only (LECTERN_CONNECTIONS_ALLOW_PRIVATE), as for a local model.
    for (const url of ["http://169.254.169.254", "http://10.0.0.7:8080", "http://[::1]:3000", "http://127.0.0.2:80"]) {
      const r = await importFrom(url);
      expect(r.status, url).toBe(422);
      expect(r.body.error.message, url).toMatch(/^Lectern did not read .*: refused: /);
      expect(r.body.error.details).toMatchObject({ field: "url" });
    }
  });

  it("never follows a redirect, and refuses user names, passwords, queries and fragments in the URL", async () => {
    const { createServer } = await import("node:http");
    const redirecting = createServer((_req, res) => {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    });
    await new Promise<void>((r) => redirecting.listen(0, "127.0.0.1", r));
    try {
      const { port } = redirecting.address() as { port: number };
      const r = await importFrom(`http://127.0.0.1:${port}`);
      expect(r.status).toBe(422);
      expect(r.body.error.message).toContain("redirects are not followed");
    } finally {
      redirecting.close();
    }
    for (const [url, words] of [
      [`http://user:pw@127.0.0.1:1`, "user name or password"],
      [`${langfuse.url}/api/public/health#`, "fragment"],
      [`${langfuse.url}?x=1`, "query string"],
    ] as const) {
      const r = await importFrom(url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.message, url).toContain(words);
    }
  });
});

describe("Lectern → Lectern through the Langfuse-compatible API", () => {
  it("keeps every version and label (deleted ones stay deleted), and a second run imports nothing", async () => {
    const folder = `rt-${uniq()}`;
    const basic = `Basic ${Buffer.from(`${publicId}:${adminKey}`).toString("base64")}`;
    const post = async (body: Record<string, unknown>) => {
      const r = await call("POST", "/api/public/v2/prompts", { key: null, headers: { authorization: basic }, body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    };
    await post({ name: `${folder}/Tone Guide`, prompt: "Be {{mood}}.", labels: ["production"], tags: ["shared"] });
    await post({
      name: `${folder}/Tone Guide`,
      prompt: "Be very {{mood}}.",
      labels: ["staging"],
      commitMessage: "Stronger",
    });
    await post({
      name: `${folder}/Chat [v2].x`,
      type: "chat",
      prompt: [
        { role: "system", content: `Rules: @@@langfusePrompt:name=${folder}/Tone Guide|label=production@@@` },
        { type: "placeholder", name: "history" },
        { role: "user", content: "{{question}}" },
      ],
      labels: ["production", "beta"],
      config: { model: "gpt-4o", temperature: 0.2 },
    });
    for (const text of ["one", "two", "three"]) await post({ name: `${folder}/gappy`, prompt: text });
    expect(
      (
        await call("DELETE", `/api/public/v2/prompts/${enc(`${folder}/gappy`)}?version=2`, {
          key: null,
          headers: { authorization: basic },
        })
      ).status,
    ).toBe(204);

    const run = () =>
      lectern(
        [
          "import",
          "langfuse",
          "--url",
          baseUrl,
          "--public-key",
          publicId,
          "--secret-key",
          adminKey,
          "--folder",
          folder,
        ],
        {
          cwd: tempDir("roundtrip"),
          env: { LECTERN_BASE_URL: fresh.url, LECTERN_API_KEY: freshKey },
        },
      );
    const first = await run();
    expect(first.code, first.stderr).toBe(0);

    // The shared server holds other tests' prompts: list each of this folder's by name.
    const names = [`${folder}/Chat [v2].x`, `${folder}/Tone Guide`, `${folder}/gappy`];
    const list = async (server: string, key: string) =>
      Promise.all(
        names.map(async (name) => {
          const [entry] = (await lf(server, key, `/api/public/v2/prompts?name=${enc(name)}`)).body.data;
          const { lastUpdatedAt: _, ...rest } = entry;
          return rest;
        }),
      );
    const source = await list(baseUrl, adminKey);
    expect(source.map((p: any) => p.name)).toEqual(names);
    expect(await list(fresh.url, freshKey)).toEqual(source);
    for (const p of source)
      for (const v of p.versions)
        for (const resolve of ["false", "true"]) {
          const q = `/api/public/v2/prompts/${enc(p.name)}?version=${v}&resolve=${resolve}`;
          const pick = ({
            name,
            version,
            type,
            prompt,
            config,
            labels,
            tags,
            commitMessage,
            createdBy,
            createdAt,
          }: any) => ({
            name,
            version,
            type,
            prompt,
            config,
            labels,
            tags,
            commitMessage,
            createdBy,
            createdAt,
          });
          expect(pick((await lf(fresh.url, freshKey, q)).body), q).toEqual(pick((await lf(baseUrl, adminKey, q)).body));
        }
    expect((await lf(fresh.url, freshKey, `/api/public/v2/prompts/${enc(`${folder}/gappy`)}?version=2`)).status).toBe(
      404,
    );

    const second = await run();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("0 prompts imported (0 versions, 0 label moves); 3 unchanged");
  });
});

describe("odd names: files, the management API and snapshots", () => {
  it("pushes and pulls a name with a space, a dot, capitals, brackets and '%' as one encoded file", async () => {
    const folder = `odd-${uniq()}`;
    const name = `${folder}/Team A/Greeting v1.2 [beta] 50%`;
    const r = repo(folder);
    const file = path.join(r.dir, "prompts", folder, "Team%20A", "Greeting%20v1.2%20%5Bbeta%5D%2050%25.yaml");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "type: text\ntemplate: Hello {{who}}\nvariables:\n  - name: who\n");
    const pushed = await r.run(["push", "--message", "First"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const detail = await call("GET", `/api/v1/prompts/${enc(name)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.prompt.name).toBe(name);
    expect(readFileSync(file, "utf8")).toMatch(/^version: 1\n/);

    expect(
      (await call("POST", `/api/v1/prompts/${enc(name)}/versions`, { body: { template: "Hi {{who}}" } })).status,
    ).toBe(201);
    const pulled = await r.run(["pull"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("template: Hi {{who}}");
    expect(readFileSync(file, "utf8")).toMatch(/^version: 2\n/);

    // Two names that differ only in case: two prompts, refused as files (one file on macOS and Windows).
    for (const n of [`${folder}/Hello`, `${folder}/hello`])
      expect((await call("POST", "/api/v1/prompts", { body: { name: n, type: "text", template: n } })).status).toBe(
        201,
      );
    const clash = await r.run(["pull"]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`${folder}/hello and ${folder}/Hello differ only in case`);
    expect(existsSync(path.join(r.dir, "prompts", folder, "Hello.yaml"))).toBe(true);
  });

  it("a snapshot moves odd names to another server unchanged", async () => {
    const folder = `snap-odd-${uniq()}`;
    const names = [`${folder}/Mixed Case.v2 [x]`, `${folder}/名前 🚀`, `${folder}/100% (sure)`];
    for (const name of names)
      expect(
        (await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: `I am ${name}` } })).status,
      ).toBe(201);
    await call("POST", `/api/v1/prompts/${enc(names[0]!)}/deployments`, {
      body: { environment: "staging", version: 1 },
    });
    const work = tempDir("snap-odd");
    const exported = await lectern(["export", "--out", "p.json"], {
      cwd: work,
      env: { LECTERN_BASE_URL: baseUrl, LECTERN_API_KEY: adminKey },
    });
    expect(exported.code, exported.stderr).toBe(0);
    // Only this folder's prompts and the environments they use: the shared server holds other tests' prompts.
    const snapshot = JSON.parse(readFileSync(path.join(work, "p.json"), "utf8"));
    snapshot.prompts = snapshot.prompts.filter((p: { name: string }) => p.name.startsWith(`${folder}/`));
    snapshot.datasets = [];
    snapshot.environments = snapshot.environments.filter((e: { name: string }) =>
      ["development", "staging", "production"].includes(e.name),
    );
    writeFileSync(path.join(work, "p.json"), JSON.stringify(snapshot));
    const imported = await lectern(["import", "p.json"], {
      cwd: work,
      env: { LECTERN_BASE_URL: fresh.url, LECTERN_API_KEY: freshKey },
    });
    expect(imported.code, imported.stderr).toBe(0);
    for (const name of names) {
      const res = await fetch(`${fresh.url}/api/v1/prompts/${enc(name)}/versions/1`, {
        headers: { authorization: `Bearer ${freshKey}` },
      });
      expect(((await res.json()) as { template: string }).template).toBe(`I am ${name}`);
    }
    const staged = await fetch(`${fresh.url}/api/v1/prompts/resolve?name=${enc(names[0]!)}&environment=staging`, {
      headers: { authorization: `Bearer ${freshKey}` },
    });
    expect(staged.status).toBe(200);
  });
});
