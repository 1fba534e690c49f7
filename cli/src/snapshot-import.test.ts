// lectern import <file>: what the server's import summary says is printed line by line, bundles included,
// and an answer from a server older than bundles in snapshots still prints. The server is a fetch that
// answers the summary; the real one is in cli/test/export-import.api.test.ts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./main";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "lectern-cli-import-"));
  writeFileSync(path.join(dir, "project.json"), JSON.stringify({ format: "lectern.project/2" }));
});

const summary = {
  dryRun: true,
  changed: true,
  datasets: { created: [] },
  environments: { created: [], updated: [] },
  prompts: { created: ["agent/system"], updated: [], unchanged: 2, ahead: [] },
  totals: { versions: 1, deployments: 0 },
  bundles: { created: ["agent"], updated: [{ name: "support", fields: ["description", "prompts"] }] },
};

async function importWith(body: unknown) {
  const requests: string[] = [];
  let stdout = "";
  const code = await runCli(
    ["import", "project.json", "--dry-run", "--base-url", "http://lectern.test", "--api-key", "k"],
    {
      cwd: dir,
      env: {},
      stdout: { write: (s) => void (stdout += s) },
      stderr: { write: () => {} },
      readStdin: async () => "",
      fetch: (async (url: string) => {
        requests.push(String(url));
        return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
      }) as unknown as typeof fetch,
      isTTY: false,
    },
  );
  return { code, stdout, requests };
}

describe("lectern import", () => {
  it("lists the bundles it would create or update with the other changes", async () => {
    const r = await importWith(summary);
    expect(r.code).toBe(0);
    expect(r.requests).toEqual(["http://lectern.test/api/v1/snapshot?dryRun=true"]);
    expect(r.stdout).toContain("+ agent/system would be created");
    expect(r.stdout).toContain("+ bundle agent would be created");
    expect(r.stdout).toContain("~ bundle support: description, prompts would be updated");
  });

  it("prints an older server's summary, which has no bundles", async () => {
    const { bundles: _none, ...older } = summary;
    const r = await importWith(older);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("+ agent/system would be created");
    expect(r.stdout).not.toContain("bundle");
  });
});
