// /api/v1/snapshot and PATCH /api/v1/prompts/{name}, black-box. The CLI's export/import between two
// servers is in cli/test/export-import.api.test.ts; this file covers the HTTP surface itself.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, errorCode } from "./client";

const uniq = () => randomBytes(4).toString("hex");
const enc = encodeURIComponent;

describe("GET/POST /api/v1/snapshot", () => {
  it("is in the OpenAPI document, with PATCH /api/v1/prompts/{name}", async () => {
    const doc = await call("GET", "/api/v1/openapi.json", { key: null });
    expect(Object.keys(doc.body.paths["/api/v1/snapshot"]).sort()).toEqual(["get", "post"]);
    expect(doc.body.paths["/api/v1/snapshot"].post.parameters.map((p: { name: string }) => p.name)).toContain("dryRun");
    expect(doc.body.paths["/api/v1/prompts/{name}"].patch).toBeDefined();
  });

  it("needs an admin key; other methods get a JSON 405", async () => {
    const runtime = await call("POST", "/api/v1/api-keys", { body: { name: `snapshot ${uniq()}`, scope: "runtime" } });
    for (const method of ["GET", "POST"])
      expect(
        errorCode(
          await call(method, "/api/v1/snapshot", { key: runtime.body.key, body: method === "POST" ? {} : undefined }),
        ),
      ).toBe("forbidden");
    const put = await call("PUT", "/api/v1/snapshot", { body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toContain("POST");
  });

  it.each([
    ["no format", {}, "format"],
    ["a format from the future", { format: "lectern.project/9", environments: [], prompts: [] }, "format"],
    [
      "a bundle whose member is neither in the snapshot nor in the project",
      {
        format: "lectern.project/2",
        environments: [],
        prompts: [],
        bundles: [{ name: "ghosts", prompts: ["no-such-prompt-anywhere"] }],
      },
      "bundles[0].prompts[0]",
    ],
    [
      "a version gap",
      {
        format: "lectern.project/1",
        environments: [],
        prompts: [
          {
            name: "x",
            description: "",
            tags: [],
            targetModel: null,
            archivedAt: null,
            createdAt: "2026-01-01T00:00:00Z",
            deployments: [],
            versions: [
              {
                version: 2,
                content: { type: "text", template: "x" },
                commitMessage: "",
                author: "",
                baseVersion: null,
                createdAt: "2026-01-01T00:00:00Z",
              },
            ],
          },
        ],
      },
      "versions[0].version",
    ],
  ])("refuses %s with 400 naming the field", async (_what, body, field) => {
    const r = await call("POST", "/api/v1/snapshot", { body });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(String(r.body.error.details.field)).toContain(field);
  });

  it("takes a snapshot larger than the usual 1 MiB body limit and the proxy's 10 MB buffer; dry run first, then for real, then idempotent", async () => {
    const name = `big-${uniq()}`;
    const block = Array.from({ length: 1700 }, (_, i) => `Line ${i}: ${"lorem ipsum ".repeat(8)}`).join("\n");
    const versions = Array.from({ length: 64 }, (_, i) => ({
      version: i + 1,
      content: { type: "text", template: `${block}\nrevision ${i + 1}` },
      commitMessage: `revision ${i + 1}`,
      author: "someone@elsewhere",
      baseVersion: i === 0 ? null : i,
      createdAt: `2026-01-01T00:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.123456Z`,
    }));
    const snapshot = {
      format: "lectern.project/1",
      environments: [],
      prompts: [
        {
          name,
          description: "big",
          tags: [],
          targetModel: null,
          archivedAt: null,
          createdAt: "2026-01-01T00:00:00Z",
          versions,
          deployments: [],
        },
      ],
    };
    const size = JSON.stringify(snapshot).length;
    expect(size).toBeGreaterThan(11 * 1024 * 1024);

    const dry = await call("POST", "/api/v1/snapshot?dryRun=true", { body: snapshot });
    expect(dry.status, JSON.stringify(dry.body).slice(0, 300)).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      changed: true,
      prompts: { created: [name] },
      totals: { versions: 64 },
    });
    expect((await call("GET", `/api/v1/prompts/${enc(name)}`)).status).toBe(404);

    const real = await call("POST", "/api/v1/snapshot", { body: snapshot });
    expect(real.status, JSON.stringify(real.body).slice(0, 300)).toBe(200);
    expect(real.body).toMatchObject({ dryRun: false, changed: true, totals: { versions: 64, deployments: 0 } });
    const v60 = await call("GET", `/api/v1/prompts/${enc(name)}/versions/60`);
    expect(v60.body).toMatchObject({
      version: 60,
      commitMessage: "revision 60",
      author: "someone@elsewhere",
      baseVersion: 59,
      createdAt: "2026-01-01T00:00:59.123Z",
    });

    const again = await call("POST", "/api/v1/snapshot", { body: snapshot });
    expect(again.body).toMatchObject({ changed: false, prompts: { created: [], updated: [] } });
  });
});

describe("PATCH /api/v1/prompts/{name}", () => {
  it("changes description and tags, records it in the audit log, and validates", async () => {
    const name = `details-${uniq()}`;
    await call("POST", "/api/v1/prompts", {
      body: { name, type: "text", template: "x", description: "old", tags: ["a"] },
    });
    const r = await call("PATCH", `/api/v1/prompts/${enc(name)}`, { body: { description: "new", tags: ["a", "b"] } });
    expect(r.status).toBe(200);
    expect(r.body.prompt).toMatchObject({ description: "new", tags: ["a", "b"], latestVersion: 1 });
    const audit = await call("GET", `/api/v1/audit?action=prompt.update&objectId=${r.body.prompt.id}`);
    expect(audit.body.data[0]).toMatchObject({
      before: { description: "old", tags: ["a"] },
      after: { description: "new", tags: ["a", "b"] },
    });
    const bad = await call("PATCH", `/api/v1/prompts/${enc(name)}`, { body: { tags: ["x".repeat(51)] } });
    expect(bad.status).toBe(400);
    expect((await call("PATCH", `/api/v1/prompts/nope-${uniq()}`, { body: { description: "x" } })).status).toBe(404);
  });
});
