// The committed OpenAPI document (docs/api/openapi.json) is the document the server serves: every change to an
// endpoint's declaration, schema or errors shows in review as a diff of that file. On a failure: run
// `npm run openapi:report`, read the diff as a change to the public API, and commit it with the change.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";
import { publicUrl } from "@/lib/server/wiring/env";
import { openApiDocument } from "./openapi";
import { openApiReportCommand, openApiReportPath, openApiReportText } from "./openapi-report";

const committed = () => readFileSync(openApiReportPath, "utf8");

describe("the committed OpenAPI document", () => {
  it(`is current (${openApiReportCommand} writes it)`, () => {
    const stale = `docs/api/openapi.json differs from the document the declarations generate: run \`${openApiReportCommand}\` and review its diff`;
    expect(committed() === openApiReportText(), stale).toBe(true);
  });

  it("is what GET /api/v1/openapi.json serves, but for the server, which is this Lectern's public URL", async () => {
    const served = (await GET().json()) as ReturnType<typeof openApiDocument>;
    expect(served.servers).toEqual([{ url: publicUrl(), description: expect.any(String) }]);
    const report = JSON.parse(committed()) as typeof served;
    expect(report.servers).toEqual([{ url: "http://localhost:3000", description: expect.stringContaining("default") }]);
    expect({ ...served, servers: report.servers }, `run \`${openApiReportCommand}\``).toEqual(report);
  });
});
