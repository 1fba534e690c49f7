// A file's name says what it holds (CONTRIBUTING.md, "Names and size"): no two source files under lib/, gateway/ and
// components/ share a name while holding different things (the SDK and the CLI are packages of their own and are
// not looked at). A search for `text.ts` should find one file, not a scorer, a helper and a scripted model's tools.
// The exceptions are parallel structure: the same role for another instance of a pattern, listed below with why.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Names one file may share with others because each is the same role in its own folder. */
const sameRole: Record<string, string> = {
  // Folder conventions: what a folder's entry point, public types and answers are called in every domain.
  "index.ts": "a folder's entry point, re-exporting what others may import",
  "contracts.ts": "a domain's types and schemas that other domains may depend on",
  "dto.ts": "a domain's answers built from rows, beside their schemas",
  "types.ts": "a folder's shared type declarations",
  // Importers and readers of other systems (lib/compat/<system>/, lib/langfuse/, lib/snapshots/): one module per
  // step of the same pipeline, for each system.
  "import.ts": "a system's importer: reads its prompts and hands them to the import core",
  "import-source.ts": "where an importer reads from (a URL, a key, a file)",
  "import-plan.ts": "what importing one prompt would do, before anything is written",
  "reads.ts": "the read side of a compatible system or of a job kind",
  "shapes.ts": "a system's wire shapes",
  "list.ts": "a compatible system's prompt list, with its filter and paging rules",
  // Two job kinds with the same life (lib/evaluation/runs/ and lib/optimization/), and a folder's create use-case.
  "claim.ts": "a job kind's claim of a queued row",
  "cancel.ts": "a job kind's cancel",
  "job.ts": "a job kind's queue job",
  "execute.ts": "a job kind's execution of one row",
  "sweep.ts": "a job kind's sweep of rows left behind",
  "create.ts": "a folder's create use-case (a run, an optimization, a connection)",
};

/** Folders whose files are named after the area they serve: `endpoints/<area>.ts` declares that area's endpoints. */
const mirrorFolders = ["lib/server/http/endpoints"];

const isSource = (f: string) =>
  /\.(ts|tsx|mts|mjs|js)$/.test(f) && !/\.test\.tsx?$/.test(f) && !/\.fixture\.ts$/.test(f) && !/\.d\.m?ts$/.test(f);

const byName = new Map<string, string[]>();
for (const f of execFileSync("git", ["ls-files", "-co", "--exclude-standard", "lib", "gateway", "components"], {
  encoding: "utf8",
}).split("\n")) {
  if (!f || !isSource(f) || !existsSync(f) || mirrorFolders.includes(path.posix.dirname(f))) continue;
  const name = path.posix.basename(f);
  byName.set(name, [...(byName.get(name) ?? []), f]);
}

describe("file names", () => {
  it("finds the files it checks", () => {
    expect(byName.get("promote.ts")).toEqual(["lib/release/promote.ts"]);
    expect(byName.get("index.ts")?.length).toBeGreaterThan(1);
    expect([...byName.values()].flat().some((f) => f.startsWith("gateway/"))).toBe(true);
    expect([...byName.values()].flat().some((f) => f.startsWith("components/"))).toBe(true);
  });

  it("gives no two files under lib/, gateway/ and components/ the same name for different things", () => {
    const shared = [...byName]
      .filter(([name, files]) => files.length > 1 && !(name in sameRole))
      .map(([name, files]) => `${name}: ${files.join(", ")}; name each for what it holds`);
    expect(shared).toEqual([]);
  });

  it("keeps the list of shared roles to names still shared", () => {
    const unused = Object.keys(sameRole).filter((name) => (byName.get(name)?.length ?? 0) < 2);
    expect(unused).toEqual([]);
  });
});
