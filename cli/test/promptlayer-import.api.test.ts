// `lectern import promptlayer` as a user runs it, against a local server speaking PromptLayer's published shapes
// (test/promptlayer-server.ts, no network): a dry run writes nothing, the import copies and converts, refuses a
// jinja2 filter and an image block by name, and the second run imports nothing; the import reads only what a
// model connection may reach.
import { describe, expect, it } from "vitest";
import { adminKey, baseUrl, call } from "../../test/api/client";
import { PromptLayerServer } from "../../test/promptlayer-server";
import { lectern, resolveOn, tempDir } from "./cli-harness";
import { sourceForFile } from "./langfuse-import-setup";

const pl = sourceForFile(new PromptLayerServer());

describe("lectern import promptlayer, from a PromptLayer (its published shapes)", () => {
  const env = { LECTERN_BASE_URL: baseUrl, LECTERN_API_KEY: adminKey };

  it("plans with --dry-run, imports, names what it refused, and imports nothing the second time", async () => {
    const cwd = tempDir("pl-import");
    const flags = ["--url", pl.url, "--key", pl.key];
    const dry = await lectern(["import", "promptlayer", ...flags, "--dry-run"], { cwd, env });
    expect(dry.stdout).toContain("+ support/reply would be created: versions 1, 2, 3;");
    expect(dry.stdout).toMatch(
      /Dry run: 3 prompts would be imported \(6 versions, \d+ label moves?, \d+ version labels?\);.*nothing was written/,
    );
    expect((await resolveOn(baseUrl, "support/reply", "production")).status).toBe(404);

    const real = await lectern(["import", "promptlayer", ...flags, "--json"], { cwd, env });
    const report = JSON.parse(real.stdout);
    expect(report.totals).toMatchObject({ prompts: 3, imported: 3, versions: 6, refused: 2 });
    expect(real.code).toBe(1); // two versions were refused
    const served = await resolveOn(baseUrl, "support/reply", "production");
    expect(served.body).toMatchObject({ version: 2, type: "chat" });
    expect((await resolveOn(baseUrl, "summarize", "production")).body).toMatchObject({
      version: 2,
      template: "Summarize briefly: {{text}}",
    });

    const again = await lectern(["import", "promptlayer", ...flags], { cwd, env });
    expect(again.stdout).toContain("0 prompts imported (0 versions, 0 label moves, 0 version labels); 3 unchanged");
    expect(again.stderr).toContain("summarize: version 2 not imported:");
  });

  it("names a wrong key, and refuses a private address the operator did not allow", async () => {
    const cwd = tempDir("pl-import-bad");
    const bad = await lectern(["import", "promptlayer", "--url", pl.url, "--key", "nope"], { cwd, env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("refused the keys (HTTP 401)");
    const r = await call("POST", "/api/v1/import/promptlayer", {
      body: { url: "http://169.254.169.254", apiKey: "k", dryRun: true },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/^Lectern did not read .*: refused: /);
  });
});
