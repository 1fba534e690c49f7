// Shadow evaluation never touches the resolve path (docs/decisions/shadow-evaluation.md): lib/runtime does not depend
// on it, it uses lib/runtime only for the one render path, and it writes nothing but its own tables (no deployment, no
// cache, no event that would change what is served).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = (d: string) => path.join(process.cwd(), d);
const sources = (d: string) =>
  readdirSync(dir(d), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => ({ file: path.join(d, f), text: readFileSync(path.join(dir(d), f), "utf8") }));
const imports = (text: string) => [...text.matchAll(/from\s+["']([^"']+)["']/g)].map((m) => m[1]!);

const shadow = sources("lib/evaluation/online").filter((s) => /\/(shadow[^/]*|online-eval-cron)\.ts$/.test(s.file));

describe("shadow evaluation and the resolve path", () => {
  it("finds the modules it checks", () => {
    expect(shadow.map((s) => path.basename(s.file))).toEqual(
      expect.arrayContaining(["shadow.ts", "shadow-answer.ts", "shadow-budget.ts", "shadow-held.ts", "shadow-job.ts"]),
    );
  });

  it("lib/runtime does not import online evaluation", () => {
    const found = sources("lib/runtime").flatMap((s) =>
      imports(s.text)
        .filter((i) => i.includes("evaluation/online"))
        .map((i) => `${s.file} → ${i}`),
    );
    expect(found).toEqual([]);
  });

  it("uses lib/runtime only to render the candidate as the environment serves it", () => {
    const found = shadow.flatMap((s) =>
      imports(s.text)
        .filter((i) => i.includes("/runtime/"))
        .map((i) => i.replace(/^.*\/runtime\//, "runtime/")),
    );
    expect([...new Set(found)]).toEqual(["runtime/render-as-served"]);
  });

  it("writes only its own tables, and publishes nothing", () => {
    const writes = shadow.flatMap((s) =>
      [...s.text.matchAll(/\.(insert|update|delete)\(\s*(\w+)\s*\)/g)].map((m) => `${m[1]} ${m[2]}`),
    );
    expect(new Set(writes)).toEqual(new Set(["insert shadowResults", "update shadowBudgets"]));
    const raw = shadow.flatMap((s) =>
      [...s.text.matchAll(/\b(insert into|delete from)\s+(\w+)/gi)].map((m) => m[2]!.toLowerCase()),
    );
    expect(new Set(raw)).toEqual(new Set(["shadow_budgets"]));
    expect(shadow.filter((s) => /\b(publish|invalidate)\w*\(/.test(s.text)).map((s) => s.file)).toEqual([]);
  });
});
