// `lectern pull` in a checkout someone else filled: a prompt file that is a symbolic or a hard link to a file
// outside the prompts folder is not written (that prompt fails, with the reason; the others are pulled), and
// the outside file keeps its bytes.
import { linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, createPrompt, removeTemps, repo, tempDir, uniq } from "./cli-harness";

beforeAll(buildCli, 120_000);
afterAll(removeTemps);

describe("lectern pull and links planted in the prompts folder", () => {
  it("writes neither through a symbolic link nor a hard link, and pulls the other prompts", async () => {
    const folder = `links-${uniq()}`;
    await createPrompt({
      name: `${folder}/greeting`,
      type: "text",
      template: "Hello {{name}}",
      variables: [{ name: "name" }],
    });
    await createPrompt({
      name: `${folder}/farewell`,
      type: "text",
      template: "Bye {{name}}",
      variables: [{ name: "name" }],
    });
    const outside = path.join(tempDir("pull-outside"), "authorized_keys");
    writeFileSync(outside, "ssh-ed25519 AAAA… me@laptop\n");
    const r = repo(folder);
    mkdirSync(path.dirname(r.file(`${folder}/greeting`)), { recursive: true });

    for (const [kind, plant, reason] of [
      ["symbolic", symlinkSync, "a symbolic link: only regular files are written"],
      ["hard", linkSync, "it has 2 hard links"],
    ] as const) {
      rmSync(r.file(`${folder}/greeting`), { force: true });
      rmSync(r.file(`${folder}/farewell`), { force: true });
      plant(outside, r.file(`${folder}/greeting`));
      const pulled = await r.run(["pull", "--force"]);
      expect(pulled.code, `${kind}: ${pulled.stdout}`).toBe(1);
      expect(pulled.stderr).toContain(reason);
      expect(readFileSync(outside, "utf8")).toBe("ssh-ed25519 AAAA… me@laptop\n");
      expect(r.read(`${folder}/farewell`)).toContain("Bye {{name}}");
    }
  });
});
