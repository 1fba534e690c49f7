// A domain under lib/ must not import lib/server, however the import is spelled (CONTRIBUTING.md, "Domains are
// framework-free"). eslint.config.mjs says so with import/no-restricted-paths; this lints fixture sources with
// the project's own config through ESLint's Node API and checks what it refuses and what it lets through.
import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
// Two folders deep in a domain, so that `../../server/…` reaches lib/server. The files do not exist: the rule
// resolves their imports from where they would be.
const deepFile = "lib/evaluation/runs/boundary-fixture.ts";
const shallowFile = "lib/release/boundary-fixture.ts";
const serverFile = "lib/server/wiring/boundary-fixture.ts";

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The messages of the boundary rule for `source` linted as `file`. */
async function boundaryErrors(source: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  const messages = result?.messages ?? [];
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === "import/no-restricted-paths").map((m) => m.message);
}

describe("the lib/server boundary", () => {
  it.each([
    [deepFile, "../../server/wiring/env"],
    [deepFile, "@/lib/server/wiring/env"],
    [shallowFile, "../server/wiring/env"],
    [shallowFile, "@/lib/server/wiring/env"],
  ])(
    "refuses %s importing %s",
    async (file, spec) => {
      const errors = await boundaryErrors(`import { env } from "${spec}";\nexport const e = env;\n`, file);
      expect(errors).toEqual([expect.stringContaining("Domain code must not import lib/server")]);
    },
    60_000,
  );

  it("refuses a type-only import and a dynamic import too", async () => {
    const source =
      `import type { env } from "../../server/wiring/env";\nexport type E = typeof env;\n` +
      `export const load = () => import("../../server/wiring/env");\n`;
    expect(await boundaryErrors(source, deepFile)).toHaveLength(2);
  }, 60_000);

  it("lets a domain import the shared modules and another domain", async () => {
    const source =
      `import { AppError } from "../../errors";\nimport { fnv1a32 } from "@/lib/stats/hash";\n` +
      `export const e = [AppError, fnv1a32];\n`;
    expect(await boundaryErrors(source, deepFile)).toEqual([]);
  }, 60_000);

  it("lets lib/server import itself", async () => {
    const source = `import { env } from "./env";\nexport const e = env;\n`;
    expect(await boundaryErrors(source, serverFile)).toEqual([]);
  }, 60_000);
});
