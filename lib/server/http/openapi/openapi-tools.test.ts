// The tools a team runs on Lectern's OpenAPI document accept it: swagger-parser validates it, redocly lint finds no
// problem (with redocly.yaml: the two rules that are wrong for this document, each with its reason), and
// openapi-typescript generates types that TypeScript compiles with --strict. The document checked is the committed
// one (openapi-report.test.ts checks that it is what the server serves). A few seconds, without a server.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { openApiReportPath } from "./openapi-report";

const dir = mkdtempSync(path.join(tmpdir(), "lectern-openapi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the OpenAPI document, as the ecosystem's tools read it", () => {
  it("validates with swagger-parser", { timeout: 30_000 }, async () => {
    await expect(SwaggerParser.validate(openApiReportPath)).resolves.toMatchObject({ openapi: "3.1.0" });
  });

  it("passes redocly lint with no error and no warning", { timeout: 60_000 }, () => {
    const bin = path.join(process.cwd(), "node_modules", ".bin", "redocly");
    const r = spawnSync(bin, ["lint", openApiReportPath, "--format=json", "--max-problems=50"], { encoding: "utf8" });
    expect(r.stdout, r.stderr).toContain('"totals"');
    const out = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    const problems = out.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(problems).toEqual([]);
    expect(out.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it("generates types with openapi-typescript that compile with tsc --strict", { timeout: 60_000 }, async () => {
    const file = path.join(dir, "lectern-api.ts");
    writeFileSync(file, astToString(await openapiTS(new URL(`file://${openApiReportPath}`))));
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      types: [],
      skipDefaultLibCheck: true,
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(errors).toEqual([]);
    // Something was generated: an operation, its parameters and an error body.
    const types = ts.sys.readFile(file)!;
    expect(types).toContain("resolvePrompt: {");
    expect(types).toContain("LecternError: {");
  });
});
