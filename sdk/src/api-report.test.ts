// The committed API report (sdk/api-report.md) is what src/index.ts exports now, and every type the
// public declarations use is exported too. On a failure: run `node sdk/scripts/api-report.mjs`, read the
// diff of sdk/api-report.md as a change to the SDK's public surface, and commit it with the change.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs script without types
import { apiReport, reportPath } from "../scripts/api-report.mjs";

describe("the SDK's API report", () => {
  const report = apiReport() as string;

  it("is current (node sdk/scripts/api-report.mjs writes it)", () => {
    expect(readFileSync(reportPath as string, "utf8")).toBe(report);
  });

  it("leaves no type the public API uses unexported", () => {
    const section = report.split("## Used by the public API but not exported")[1]!.split("\n## ")[0]!;
    expect(section.trim()).toBe("(none)");
  });
});
