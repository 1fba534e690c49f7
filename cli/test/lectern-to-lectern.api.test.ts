// Lectern → Lectern through Lectern's own Langfuse-compatible API, into a second, fresh server (every
// version and label must survive). The same fresh server takes a snapshot of prompts with odd names
// (spaces, dots, capitals, brackets, '%'), and the CLI pushes and pulls them as files.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl, call } from "../../test/api/client";
import { type ServerProcess } from "../../test/cluster/harness";
import { buildCli, enc, lectern, removeTemps, repo, tempDir, uniq } from "./cli-harness";
import { lf, startImportTarget } from "./langfuse-import-setup";

let fresh: ServerProcess;
const freshKey = `lk_fresh_${uniq()}${uniq()}${uniq()}`;
let publicId = "";

beforeAll(async () => {
  await buildCli();
  publicId = (await call("GET", "/api/v1/project")).body.publicId;
  fresh = await startImportTarget(freshKey);
}, 180_000);

afterAll(async () => {
  await fresh?.stop();
  removeTemps();
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
    // What a Langfuse client reads of a version: the same on both servers.
    const compared = [
      "name",
      "version",
      "type",
      "prompt",
      "config",
      "labels",
      "tags",
      "commitMessage",
      "createdBy",
      "createdAt",
    ];
    const source = await list(baseUrl, adminKey);
    expect(source.map((p: any) => p.name)).toEqual(names);
    expect(await list(fresh.url, freshKey)).toEqual(source);
    for (const p of source)
      for (const v of p.versions)
        for (const resolve of ["false", "true"]) {
          const q = `/api/public/v2/prompts/${enc(p.name)}?version=${v}&resolve=${resolve}`;
          const pick = (body: any) => Object.fromEntries(compared.map((k) => [k, body[k]]));
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
    // Other tests' bundles name other tests' prompts, which are left out above.
    snapshot.bundles = [];
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
