// The runtime resolve API, black-box against a running server: live, pinned and point-in-time answers,
// ETags, rollbacks, and rendering (sections, partials, variables refused by name).
import { beforeAll, describe, expect, it } from "vitest";
import { call, errorCode } from "./client";
import { livePrompt, newRuntimeKey, resolveAs, uniq } from "./runtime-setup";
import { pastInstant } from "../waits";

let runtimeKey = "";

beforeAll(async () => {
  runtimeKey = await newRuntimeKey();
});

const resolve = (q: string, headers: Record<string, string> = {}) => resolveAs(runtimeKey, q, headers);

describe("GET /api/v1/prompts/resolve", () => {
  it("serves the live version with an ETag, 304 on If-None-Match, and echoes the subject", async () => {
    const name = await livePrompt();
    const r = await resolve(`name=${name}&subject=user-42`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name,
      version: 1,
      environment: "production",
      type: "text",
      experiment: null,
      subjectDependent: false,
      subject: "user-42",
    });
    expect(r.body.template).toContain("{{name}}");
    const etag = r.headers.get("etag")!;
    expect(etag).toMatch(/^"/);
    const again = await resolve(`name=${name}`, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("x-lectern-cache")).toBe("l1");
  });

  it("a rollback is served by the very next resolve, and the ETag changes", async () => {
    const name = await livePrompt();
    await call("POST", `/api/v1/prompts/${name}/versions`, {
      body: { template: "V2 {{name}}", variables: [{ name: "name" }] },
    });
    await call("POST", `/api/v1/prompts/${name}/deployments`, {
      body: { environment: "production", version: 2, confirmBreaking: true },
    });
    const v2 = await resolve(`name=${name}`);
    expect(v2.body.version).toBe(2);
    await resolve(`name=${name}`); // now cached
    const rb = await call("POST", `/api/v1/prompts/${name}/rollback`, { body: { environment: "production" } });
    expect(rb.status).toBe(201);
    const after = await resolve(`name=${name}`, { "if-none-match": v2.headers.get("etag")! });
    expect(after.status).toBe(200);
    expect(after.body.version).toBe(1);
  });

  it("pins a version and answers what was live at an instant", async () => {
    const name = await livePrompt();
    const t1 = new Date().toISOString();
    await pastInstant(t1);
    await call("POST", `/api/v1/prompts/${name}/versions`, {
      body: { template: "V2 {{name}}", variables: [{ name: "name" }] },
    });
    await call("POST", `/api/v1/prompts/${name}/deployments`, {
      body: { environment: "production", version: 2, confirmBreaking: true },
    });
    expect((await resolve(`name=${name}&version=1`)).body.version).toBe(1);
    expect((await resolve(`name=${name}`)).body.version).toBe(2);
    expect((await resolve(`name=${name}&at=${encodeURIComponent(t1)}`)).body.version).toBe(1);
    const before = await resolve(`name=${name}&at=2001-01-01T00:00:00Z`);
    expect(before.status).toBe(404);
    expect(errorCode(before)).toBe("not_deployed");
  });

  it.each([
    ["name=does-not-exist", 404, "not_found"],
    ["name=Bad%7CName", 400, "invalid_input"],
    ["environment=production", 400, "invalid_input"],
    ["name=x&at=yesterday", 400, "invalid_input"],
    ["name=x&version=0", 400, "invalid_input"],
  ])("%s → %i %s", async (q, status, code) => {
    const r = await resolve(q);
    expect(r.status).toBe(status);
    expect(errorCode(r)).toBe(code);
  });

  it("404 not_deployed when nothing is live in that environment; unknown environment is not_found", async () => {
    const name = await livePrompt({}, "staging");
    const r = await resolve(`name=${name}`);
    expect(r.status).toBe(404);
    expect(errorCode(r)).toBe("not_deployed");
    expect(errorCode(await resolve(`name=${name}&environment=nowhere`))).toBe("not_found");
  });

  it("a runtime key cannot use the management API", async () => {
    const r = await call("POST", "/api/v1/prompts", {
      key: runtimeKey,
      body: { name: `x-${uniq()}`, type: "text", template: "x" },
    });
    expect(r.status).toBe(403);
  });
});

describe("POST /api/v1/prompts/resolve (render)", () => {
  it("renders sections and partials live in the same environment", async () => {
    const partial = `shared-${uniq()}`;
    await call("POST", "/api/v1/prompts", {
      body: { name: partial, type: "text", template: "Sign off as {{agent}}.", variables: [{ name: "agent" }] },
    });
    await call("POST", `/api/v1/prompts/${partial}/deployments`, { body: { environment: "production", version: 1 } });
    const name = `chat-${uniq()}`;
    await call("POST", "/api/v1/prompts", {
      body: {
        name,
        type: "chat",
        template: [
          { role: "system", content: `Be brief.\n{{> ${partial}}}\nDone.` },
          { role: "user", content: "{{#items}}- {{.}}\n{{/items}}" },
        ],
        variables: [{ name: "items", type: "json" }],
      },
    });
    await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "production", version: 1 } });
    const r = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name, variables: { items: ["a", "b"], agent: "Sam", extra: 1 } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rendered).toEqual([
      { role: "system", content: "Be brief.\nSign off as Sam.\nDone." },
      { role: "user", content: "- a\n- b\n" },
    ]);
    expect(r.body.warnings.join(" ")).toMatch(/extra/);
  });

  it("422 missing_variables and invalid_variables name the variables", async () => {
    const name = await livePrompt();
    const missing = await call("POST", "/api/v1/prompts/resolve", { key: runtimeKey, body: { name, variables: {} } });
    expect(missing.status).toBe(422);
    expect(errorCode(missing)).toBe("missing_variables");
    expect(missing.body.error.details.missing).toEqual(["name"]);
    const invalid = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name, variables: { name: "A", vip: "yes" } },
    });
    expect(invalid.status).toBe(422);
    expect(errorCode(invalid)).toBe("invalid_variables");
    expect(invalid.body.error.details.invalid[0].name).toBe("vip");
    const ok = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name, variables: { name: "Ann", vip: true } },
    });
    expect(ok.body.rendered).toBe("Hello Ann, welcome back!");
  });
});
