// `lectern import langfuse` as a user runs it, against a local server answering with recorded Langfuse
// answers (test/langfuse-server.ts, no network), and the addresses the import may reach.
import { describe, expect, it } from "vitest";
import { adminKey, baseUrl, call } from "../../test/api/client";
import { LangfuseServer } from "../../test/langfuse-server";
import { enc, lectern, resolveOn, tempDir } from "./cli-harness";
import { lf, sourceForFile } from "./langfuse-import-setup";

const langfuse = sourceForFile(new LangfuseServer());

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
    // Labels no environment has are kept as version labels; no environment is created for them.
    expect(dry.stdout).toContain("+ legacy.prompt would be created: version 1; version label prod.v1 → version 1");
    expect(dry.stdout).toContain("version label canary → version 2");
    expect(dry.stdout).not.toContain("environment canary");
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
    const canary = await call("GET", `/api/v1/prompts/resolve?name=${enc("Summarizer v2.1")}&label=canary`);
    expect([canary.status, canary.body.version]).toEqual([200, 2]);
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
