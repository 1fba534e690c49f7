// lectern import promptlayer: the server's report (the importer core's) printed line by line — created
// versions and label moves, refused versions with why, labels left where the release plan refused them — and
// the exit code says whether everything was imported. The server is a fetch answering the report; the real one
// is in cli/test/promptlayer-import.api.test.ts.
import { describe, expect, it } from "vitest";
import { runCli } from "./main";

const report = {
  dryRun: false,
  system: "promptlayer",
  source: "https://api.promptlayer.com",
  prompts: [
    {
      name: "support/reply",
      outcome: "created",
      versions: [1, 2],
      labels: [{ label: "production", version: 2, from: null }],
      versionLabels: [{ label: "v1.2", version: 1, from: null }],
      unmapped: [],
      sources: [
        { sourceId: "1", outcome: "created", version: 1 },
        { sourceId: "2", outcome: "created", version: 2, convertedFrom: "jinja2" },
        { sourceId: "3", outcome: "refused", reason: "template: the filter upper cannot be carried" },
      ],
      wasLiveIn: [{ label: "guarded", sourceId: "2", reason: "guarded requires an approved review" }],
    },
  ],
  totals: { prompts: 1, imported: 1, skipped: 0, versions: 2, labels: 1, versionLabels: 1, refused: 1 },
};

async function importPromptLayer(args: string[], env: Record<string, string> = {}, system = "promptlayer") {
  const sent: { url: string; body: unknown }[] = [];
  let stdout = "";
  let stderr = "";
  const code = await runCli(["import", system, ...args, "--base-url", "http://lectern.test", "--api-key", "k"], {
    cwd: "/",
    env,
    stdout: { write: (s) => void (stdout += s) },
    stderr: { write: (s) => void (stderr += s) },
    readStdin: async () => "",
    fetch: (async (url: string, init: RequestInit) => {
      sent.push({ url: String(url), body: JSON.parse(String(init.body)) });
      return new Response(JSON.stringify(report), { status: 200, headers: { "content-type": "application/json" } });
    }) as unknown as typeof fetch,
    isTTY: false,
  });
  return { code, stdout, stderr, sent };
}

describe("lectern import promptlayer", () => {
  it("asks the server to import, and prints what it did and what it refused", async () => {
    const r = await importPromptLayer(["--key", "pl_x", "--folder", "support"]);
    expect(r.sent).toEqual([
      {
        url: "http://lectern.test/api/v1/import/promptlayer",
        body: { url: "https://api.promptlayer.com", apiKey: "pl_x", dryRun: false, folder: "support" },
      },
    ]);
    expect(r.stdout).toContain(
      "+ support/reply created: versions 1, 2; production → version 2; version label v1.2 → version 1",
    );
    expect(r.stderr).toContain("support/reply: version 3 not imported: template: the filter upper cannot be carried");
    expect(r.stderr).toContain(
      "support/reply: was live in guarded (version 2 there): guarded requires an approved review",
    );
    expect(r.stdout).toContain(
      "1 prompt imported (2 versions, 1 label move, 1 version label); 0 unchanged; 0 not imported; 1 version refused",
    );
    expect(r.code).toBe(1);
  });

  it("takes the key and the URL from PromptLayer's own variables, and needs a key", async () => {
    const r = await importPromptLayer(["--dry-run"], {
      PROMPTLAYER_API_KEY: "pl_env",
      PROMPTLAYER_BASE_URL: "https://pl.example",
    });
    expect(r.sent[0]!.body).toMatchObject({ url: "https://pl.example", apiKey: "pl_env", dryRun: true });
    const missing = await importPromptLayer([]);
    expect(missing.code).not.toBe(0);
    expect(missing.sent).toEqual([]);
    expect(missing.stderr).toContain("needs --key");
  });
});

describe("lectern import langsmith", () => {
  it("asks the server to import LangSmith's hub, with LangSmith's own variables, and needs a key", async () => {
    const r = await importPromptLayer(
      ["--folder", "support"],
      { LANGSMITH_API_KEY: "lsv2_env", LANGSMITH_ENDPOINT: "https://ls.example" },
      "langsmith",
    );
    expect(r.sent).toEqual([
      {
        url: "http://lectern.test/api/v1/import/langsmith",
        body: { url: "https://ls.example", apiKey: "lsv2_env", dryRun: false, folder: "support" },
      },
    ]);
    expect(r.stdout).toContain("+ support/reply created");
    const plain = await importPromptLayer(["--key", "lsv2_x", "--dry-run"], {}, "langsmith");
    expect(plain.sent[0]!.body).toMatchObject({
      url: "https://api.smith.langchain.com",
      apiKey: "lsv2_x",
      dryRun: true,
    });
    const missing = await importPromptLayer([], {}, "langsmith");
    expect(missing.code).not.toBe(0);
    expect(missing.sent).toEqual([]);
    expect(missing.stderr).toContain("needs --key");
  });
});
