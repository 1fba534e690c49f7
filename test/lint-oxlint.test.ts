// The import rules oxlint enforces (.oxlintrc.json): domains free of the framework, components free of the database,
// lib/stats and lib/net as leaves, no import cycle in lib/ or db/ (type-only imports do not count), process.env read
// only in the settings module. Fixtures are linted in a folder of their own with the project's config and path
// aliases, by the oxlint binary CI runs, so that nothing here touches the tree other tests read.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const files: Record<string, string> = {
  "lib/shop/framework.ts": `import { useState } from "react";\nimport { x } from "@/components/ui/button";\nexport const f = [useState, x];\n`,
  "lib/shop/env.ts": `export const key = process.env.SECRET;\n`,
  "lib/shop/a.ts": `import { b } from "./b";\nexport const a = () => b();\n`,
  "lib/shop/b.ts": `import { a } from "@/lib/shop/a";\nexport const b = (): number => (a ? 1 : 2);\n`,
  "lib/shop/c.ts": `import { d } from "./d";\nexport const c = () => d();\n`,
  "lib/shop/d.ts": `import type { c } from "./c";\nexport const d = (): ReturnType<typeof c> | number => 1;\n`,
  "lib/stats/leaf.ts": `import { AppError } from "../errors";\nimport { t } from "@/lib/registry/templates/template";\nexport const l = [AppError, t];\n`,
  "lib/server/wiring/settings.ts": `export const all = process.env;\n`,
  "components/card.tsx": `import { prompts } from "@/db/schema/prompts";\nexport const Card = () => <div>{String(prompts)}</div>;\n`,
  "lib/shop/floating.ts": `async function save() {}\nexport function click() {\n  save();\n}\nexport async function fine() {\n  await save();\n}\n`,
  "components/fine.tsx": `import { useState } from "react";\nexport const Fine = () => <div>{String(useState)}</div>;\n`,
};

let dir: string;
type Hit = { rule: string; file: string };
let hits: Hit[];
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "lectern-oxlint-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  copyFileSync(path.join(root, ".oxlintrc.json"), path.join(dir, ".oxlintrc.json"));
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { jsx: "react-jsx", strict: true, paths: { "@/*": ["./*"] } },
      include: ["**/*"],
    }),
  );
  let out: string;
  try {
    out = execFileSync(path.join(root, "node_modules/.bin/oxlint"), ["--type-aware", "--format", "json", "."], {
      cwd: dir,
      encoding: "utf8",
    });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit code 1: errors found, as intended
  }
  const report = JSON.parse(out) as { diagnostics: { code: string; filename: string }[] };
  hits = report.diagnostics.map((d) => ({ rule: d.code, file: d.filename.replace(/^\.\//, "") }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rulesIn = (file: string) => hits.filter((h) => h.file === file).map((h) => h.rule);

describe("oxlint's import rules", () => {
  it("keep the framework and the UI out of the domains", () => {
    expect(rulesIn("lib/shop/framework.ts")).toEqual([
      "eslint(no-restricted-imports)",
      "eslint(no-restricted-imports)",
    ]);
  });
  it("keep process.env in the settings module", () => {
    expect(rulesIn("lib/shop/env.ts")).toEqual(["eslint(no-restricted-properties)"]);
    expect(rulesIn("lib/server/wiring/settings.ts")).toEqual([]);
  });
  it("refuse a cycle, however its imports are spelled, but not one made only of types", () => {
    expect(rulesIn("lib/shop/a.ts")).toEqual(["import(no-cycle)"]);
    expect(rulesIn("lib/shop/b.ts")).toEqual(["import(no-cycle)"]);
    expect([...rulesIn("lib/shop/c.ts"), ...rulesIn("lib/shop/d.ts")]).toEqual([]);
  });
  it("keep lib/stats a leaf", () => {
    expect(rulesIn("lib/stats/leaf.ts")).toEqual(["eslint(no-restricted-imports)", "eslint(no-restricted-imports)"]);
  });
  it("find a promise nobody awaits (type-aware, through typescript-go)", () => {
    expect(rulesIn("lib/shop/floating.ts")).toEqual(["typescript(no-floating-promises)"]);
  });
  it("keep the database out of components", () => {
    expect(rulesIn("components/card.tsx")).toEqual(["eslint(no-restricted-imports)"]);
    expect(rulesIn("components/fine.tsx")).toEqual([]);
  });
});
