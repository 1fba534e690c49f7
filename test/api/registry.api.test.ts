// The management API, black-box, against a running server (issue: prompt registry and release workflow).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { baseUrl, call, errorCode } from "./client";
import { pastInstant } from "../waits";

const uniq = () => randomBytes(4).toString("hex");
const enc = encodeURIComponent;

async function newPrompt(name = `api-${uniq()}`, extra: Record<string, unknown> = {}) {
  const r = await call("POST", "/api/v1/prompts", {
    body: {
      name,
      type: "text",
      template: "Hello {{name}}",
      variables: [{ name: "name", type: "string" }],
      commitMessage: "first",
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return name;
}

describe("prompts", () => {
  it("creates version 1 as a draft, refuses a duplicate name with 409", async () => {
    const name = `team/${uniq()}/greeting`;
    const r = await call("POST", "/api/v1/prompts", {
      body: { name, type: "text", template: "Hi {{who}}", variables: [{ name: "who" }], tags: ["t1"] },
    });
    expect(r.status).toBe(201);
    expect(r.body.prompt.name).toBe(name);
    expect(r.body.version).toMatchObject({ version: 1, status: "draft", type: "text", template: "Hi {{who}}" });
    const dup = await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: "x" } });
    expect(dup.status).toBe(409);
    expect(errorCode(dup)).toBe("conflict");
    const got = await call("GET", `/api/v1/prompts/${enc(name)}`);
    expect(got.status).toBe(200);
    expect(got.body.prompt.tags).toEqual(["t1"]);
    expect(got.body.environments).toMatchObject({ development: null, staging: null, production: null });
  });

  it.each([
    [{ name: "Bad|Name", type: "text", template: "x" }, 400, "name"],
    [{ name: "/lead", type: "text", template: "x" }, 400, "name"],
    [{ name: "ok-name", type: "nope", template: "x" }, 400, "type"],
    [{ name: "ok-name2", type: "text", template: "{{#open}}" }, 400, "template"],
    [{ name: "ok-name3", type: "text", template: "Hi {{who}}" }, 422, "variables"],
    [{ name: "ok-name4", type: "chat", template: "not a list" }, 400, "template"],
  ])("rejects %j with %i naming %s, writing nothing", async (body, status, field) => {
    const r = await call("POST", "/api/v1/prompts", { body });
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body.error.details.field).toContain(field);
    expect((await call("GET", `/api/v1/prompts/${enc(String(body.name))}`)).status).not.toBe(200);
  });

  it("lists with tag, folder and search filters, paginated", async () => {
    const folder = `f${uniq()}`;
    await newPrompt(`${folder}/a`, { tags: ["alpha"] });
    await newPrompt(`${folder}/b`, { description: "needle in here" });
    await newPrompt(`${folder}/c`);
    const inFolder = await call("GET", `/api/v1/prompts?folder=${folder}&limit=2`);
    expect(inFolder.body.data.map((p: any) => p.name)).toEqual([`${folder}/a`, `${folder}/b`]);
    expect(inFolder.body.pagination).toMatchObject({ total: 3, limit: 2, offset: 0 });
    const tagged = await call("GET", `/api/v1/prompts?folder=${folder}&tag=alpha`);
    expect(tagged.body.data.map((p: any) => p.name)).toEqual([`${folder}/a`]);
    const searched = await call("GET", `/api/v1/prompts?folder=${folder}&search=needle`);
    expect(searched.body.data.map((p: any) => p.name)).toEqual([`${folder}/b`]);
    const tooMany = await call("GET", "/api/v1/prompts?limit=5000");
    expect(tooMany.status).toBe(400);
  });
});

describe("versions", () => {
  it("saves new versions, conflicts on a stale baseVersion, diffs, and is immutable", async () => {
    const name = await newPrompt();
    const v2 = await call("POST", `/api/v1/prompts/${name}/versions`, {
      body: {
        template: "Hello there {{name}}",
        variables: [{ name: "name" }],
        config: { temperature: 0.2 },
        baseVersion: 1,
        commitMessage: "warmer",
      },
    });
    expect(v2.status).toBe(201);
    expect(v2.body.version).toBe(2);
    const stale = await call("POST", `/api/v1/prompts/${name}/versions`, {
      body: { template: "Other {{name}}", variables: [{ name: "name" }], baseVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toMatchObject({ baseVersion: 1, latestVersion: 2 });
    expect(stale.body.error.details.latest.content.template).toBe("Hello there {{name}}");
    const list = await call("GET", `/api/v1/prompts/${name}/versions`);
    expect(list.body.data.map((v: any) => v.version)).toEqual([2, 1]);
    const one = await call("GET", `/api/v1/prompts/${name}/versions/2`);
    expect(one.body).toMatchObject({ version: 2, commitMessage: "warmer", status: "draft" });
    const diff = await call("GET", `/api/v1/prompts/${name}/versions/2/diff?against=1`);
    expect(diff.status).toBe(200);
    expect(diff.body.diff.summary.join("\n")).toMatch(/temperature/);
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const r = await call(method, `/api/v1/prompts/${name}/versions/1`, { body: { template: "changed" } });
      expect(r.status).toBe(405);
      expect(errorCode(r)).toBe("method_not_allowed");
    }
    expect((await call("GET", `/api/v1/prompts/${name}/versions/1`)).body.template).toBe("Hello {{name}}");
    expect((await call("GET", `/api/v1/prompts/${name}/versions/9`)).status).toBe(404);
    expect((await call("GET", `/api/v1/prompts/${name}/versions/abc`)).status).toBe(400);
  });
});

describe("deployments, rollback and point-in-time", () => {
  it("promotes, rolls back to the previous version, and answers what was live at an instant", async () => {
    const name = await newPrompt();
    await call("POST", `/api/v1/prompts/${name}/versions`, {
      body: { template: "V2 {{name}}", variables: [{ name: "name" }] },
    });
    const p1 = await call("POST", `/api/v1/prompts/${name}/deployments`, {
      body: { environment: "production", version: 1, reason: "launch" },
    });
    expect(p1.status).toBe(201);
    const afterV1 = (await call("GET", `/api/v1/prompts/${name}/deployments?environment=production`)).body.data[0].at;
    await pastInstant(afterV1);
    const p2 = await call("POST", `/api/v1/prompts/${name}/deployments`, {
      body: { environment: "production", version: 2 },
    });
    expect(p2.status).toBe(201);
    const rb = await call("POST", `/api/v1/prompts/${name}/rollback`, { body: { environment: "production" } });
    expect(rb.status).toBe(201);
    expect(rb.body).toMatchObject({ version: 1, action: "rollback", environment: "production" });
    const hist = await call("GET", `/api/v1/prompts/${name}/deployments?environment=production`);
    expect(hist.body.data.map((d: any) => [d.action, d.version])).toEqual([
      ["rollback", 1],
      ["promote", 2],
      ["promote", 1],
    ]);
    const then = await call("GET", `/api/v1/prompts/${name}/deployments?at=${enc(afterV1)}&environment=production`);
    expect(then.body.live.production.version).toBe(1);
    const before = await call("GET", `/api/v1/prompts/${name}/deployments?at=2000-01-01T00:00:00Z`);
    expect(before.body.live).toMatchObject({ production: null, staging: null });
    const versions = await call("GET", `/api/v1/prompts/${name}/versions`);
    expect(Object.fromEntries(versions.body.data.map((v: any) => [v.version, v.status]))).toEqual({
      1: "production",
      2: "archived",
    });
  });

  it.each([
    [{ environment: "nowhere", version: 1 }, 404],
    [{ environment: "production", version: 99 }, 404],
    [{ environment: "production" }, 400],
    [{ environment: "production", version: "1" }, 400],
  ])("rejects a bad promotion %j with %i", async (body, status) => {
    const name = await newPrompt();
    const r = await call("POST", `/api/v1/prompts/${name}/deployments`, { body });
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect((await call("GET", `/api/v1/prompts/${name}/deployments`)).body.data).toEqual([]);
  });

  it("rolling back with nothing earlier is a 409; unknown prompt is a 404", async () => {
    const name = await newPrompt();
    await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "staging", version: 1 } });
    expect((await call("POST", `/api/v1/prompts/${name}/rollback`, { body: { environment: "staging" } })).status).toBe(
      409,
    );
    expect(
      (await call("POST", `/api/v1/prompts/missing-${uniq()}/rollback`, { body: { environment: "staging" } })).status,
    ).toBe(404);
  });
});

describe("reviews and drafts over the API", () => {
  it("a draft merges back; overlapping edits come back as conflicts", async () => {
    const name = await newPrompt(undefined, {
      template: "Line one {{name}}\nLine two\nLine three",
      commitMessage: "base",
    });
    const d = await call("POST", `/api/v1/prompts/${name}/drafts`, { body: { name: "experiment" } });
    expect(d.status).toBe(201);
    const content = {
      type: "text",
      template: "Line one {{name}}\nLine two EDITED BY DRAFT\nLine three",
      variables: [{ name: "name" }],
    };
    expect((await call("PUT", `/api/v1/drafts/${d.body.id}`, { body: { content } })).status).toBe(200);
    await call("POST", `/api/v1/prompts/${name}/versions`, {
      body: { template: "Line one {{name}}\nLine two EDITED ON MAIN\nLine three", variables: [{ name: "name" }] },
    });
    const conflict = await call("POST", `/api/v1/drafts/${d.body.id}/merge`, { body: {} });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.details.conflicts[0].key).toBe("template");
    expect((await call("GET", `/api/v1/prompts/${name}/versions`)).body.data).toHaveLength(2);
    const resolved = { ...content, template: "Line one {{name}}\nLine two EDITED BY BOTH\nLine three" };
    await call("PUT", `/api/v1/drafts/${d.body.id}`, { body: { content: resolved, baseVersion: 2 } });
    const merged = await call("POST", `/api/v1/drafts/${d.body.id}/merge`, { body: { commitMessage: "merge" } });
    expect(merged.status).toBe(201);
    expect(merged.body.version).toBe(3);
    expect((await call("GET", `/api/v1/prompts/${name}/versions/3`)).body.template).toContain("EDITED BY BOTH");
  });

  it("an admin key may request a review but never decide it (four eyes); nothing is deployed", async () => {
    const name = await newPrompt();
    const req = await call("POST", `/api/v1/prompts/${name}/reviews`, {
      body: { version: 1, environment: "production", message: "please" },
    });
    expect(req.status).toBe(201);
    const approve = await call("POST", `/api/v1/reviews/${req.body.id}`, {
      body: { decision: "approve", comment: "lgtm" },
    });
    expect(approve.status).toBe(403);
    expect(errorCode(approve)).toBe("forbidden");
    expect(approve.body.error.message).toContain("API keys may request reviews but never approve");
    expect((await call("POST", `/api/v1/reviews/${req.body.id}`, { body: { decision: "reject" } })).status).toBe(403);
    expect((await call("POST", `/api/v1/reviews/${req.body.id}`, { body: { decision: "maybe" } })).status).toBe(400);
    expect((await call("GET", `/api/v1/prompts/${name}`)).body.environments.production).toBeNull();
    expect((await call("GET", `/api/v1/prompts/${name}/reviews`)).body.data[0].status).toBe("pending");
  });
});

describe("environments, audit and OpenAPI", () => {
  it("serves an OpenAPI 3.1 document that covers every route", async () => {
    const r = await call("GET", "/api/v1/openapi.json", { key: null });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    for (const p of [
      "/api/v1/prompts",
      "/api/v1/prompts/{name}/versions",
      "/api/v1/prompts/{name}/rollback",
      "/api/v1/prompts/resolve",
      "/api/v1/api-keys",
    ])
      expect(r.body.paths[p]).toBeDefined();
    // The committed report (docs/api/openapi.json) is this document, but for the server it names: this one.
    const report = JSON.parse(readFileSync(path.join(process.cwd(), "docs/api/openapi.json"), "utf8"));
    expect(r.body.servers).toEqual([{ url: baseUrl, description: "This Lectern" }]);
    expect({ ...r.body, servers: report.servers }, "run `npm run openapi:report`").toEqual(report);
  });

  it("lists environments and the audit log records deployments", async () => {
    const envs = await call("GET", "/api/v1/environments");
    expect(envs.body.data.map((e: any) => e.name)).toEqual(
      expect.arrayContaining(["development", "staging", "production"]),
    );
    const name = await newPrompt();
    await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "staging", version: 1 } });
    const audit = await call("GET", "/api/v1/audit?action=deployment.promote&limit=5");
    expect(audit.body.data[0]).toMatchObject({
      action: "deployment.promote",
      actorType: "api_key",
      after: { environment: "staging", version: 1 },
    });
  });
});
