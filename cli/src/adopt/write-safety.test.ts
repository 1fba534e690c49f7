// What --write may touch: only regular files of the directory with one link and valid UTF-8, every byte
// outside a rewritten site kept (line endings, a byte order mark); a "use client" module never gets a runtime
// key; package.json gains @lectern/sdk from the server's tarball when it is in npm's own form.
import { linkSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempTrees } from "../../test/temp-tree";
import { findPrompts } from "./find";
import { rewriteAll } from "./rewrite";

const tree = tempTrees("lectern-write-");

const call = (system: string) =>
  `import { generateText } from "ai";\nexport async function f() {\n  return generateText({ model: "m", system: "${system}" });\n}\n`;

async function write(dir: string, dryRun = false) {
  const a = await findPrompts(dir, { env: {} });
  const r = await rewriteAll(a, { environment: "development", dryRun, env: {}, baseUrl: "https://lectern.test" });
  return { a, ...r };
}

describe("lectern adopt --write: what it writes", { timeout: 60_000 }, () => {
  it("never writes a hard link (to a file outside the tree), and says why", async () => {
    const outside = tree({ "shared.js": call("Outside.") });
    const dir = tree({ "own.js": call("Inside.") });
    linkSync(path.join(outside, "shared.js"), path.join(dir, "linked.js"));
    const before = readFileSync(path.join(outside, "shared.js"));
    const { report } = await write(dir);
    expect(report.sites.map((s) => [s.file, s.status, s.reason])).toEqual([
      [
        "linked.js",
        "skipped",
        "not written: it has 2 hard links: writing it would change the same file under its other names, which may be outside the directory",
      ],
      ["own.js", "rewritten", undefined],
    ]);
    expect(readFileSync(path.join(outside, "shared.js")).equals(before)).toBe(true);
    expect(readFileSync(path.join(dir, "own.js"), "utf8")).toContain("getPrompt(");
  });

  it("writes a symbolic link inside the tree as the file it points to, once", async () => {
    const dir = tree({ "real/a.js": call("Hi.") });
    symlinkSync(path.join(dir, "real/a.js"), path.join(dir, "alias.js"));
    const { a, report } = await write(dir);
    expect(a.found.map((f) => f.file)).toEqual(["real/a.js"]);
    expect(report.files).toEqual([{ file: "real/a.js", written: true }]);
  });

  it("keeps every byte outside the sites: CRLF line endings and a byte order mark", async () => {
    const text = "\ufeff" + call("Hi.").replace(/\n/g, "\r\n") + "// é ✓ 𝄞\r\n";
    const dir = tree({ "crlf.js": Buffer.from(text, "utf8") });
    await write(dir);
    const after = readFileSync(path.join(dir, "crlf.js"), "utf8");
    expect(after.startsWith("\ufeffimport { generateText }")).toBe(true);
    expect(after.replace(/\r\n/g, "")).not.toContain("\n");
    expect(after.endsWith("// é ✓ 𝄞\r\n")).toBe(true);
  });

  it('never rewrites a "use client" module (a runtime key must not reach the browser)', async () => {
    const dir = tree({ "chat.jsx": `"use client";\n${call("Hi.")}` });
    const { report } = await write(dir);
    expect(report.sites[0]).toMatchObject({
      status: "skipped",
      reason: 'a "use client" module: fetching a prompt needs a runtime key, which must not reach the browser',
    });
  });

  it("adds @lectern/sdk to package.json as the README installs it, keeping npm's form; a dry run writes nothing", async () => {
    const pkg = JSON.stringify({ name: "app", type: "module", dependencies: { ai: "^5.0.0", zod: "^4" } }, null, 2);
    const dir = tree({ "package.json": pkg + "\n", "src/a.js": call("Hi.") });
    const dry = await write(dir, true);
    expect(dry.report.dependencies).toEqual([{ file: "package.json", status: "added" }]);
    expect(dry.touched.map((f) => path.relative(dir, f)).sort()).toEqual(["package.json", "src/a.js"]);
    expect(readFileSync(path.join(dir, "package.json"), "utf8")).toBe(pkg + "\n");
    await write(dir);
    const after = readFileSync(path.join(dir, "package.json"), "utf8");
    expect(after).toBe(
      JSON.stringify(
        {
          name: "app",
          type: "module",
          dependencies: { "@lectern/sdk": "https://lectern.test/sdk/lectern-sdk.tgz", ai: "^5.0.0", zod: "^4" },
        },
        null,
        2,
      ) + "\n",
    );
  });

  it("leaves a hand-formatted package.json alone, saying how to add the SDK", async () => {
    const pkg = `{ "name": "app", "dependencies": { "ai": "^5" } }\n`;
    const dir = tree({ "package.json": pkg, "a.mjs": call("Hi.") });
    const { report } = await write(dir);
    expect(report.dependencies).toEqual([
      {
        file: "package.json",
        status: "skipped",
        reason:
          "not in the form npm writes, so it was left as it is: npm install https://lectern.test/sdk/lectern-sdk.tgz",
      },
    ]);
    expect(readFileSync(path.join(dir, "package.json"), "utf8")).toBe(pkg);
  });
});
