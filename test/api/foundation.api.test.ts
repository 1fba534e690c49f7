import { describe, expect, it } from "vitest";
import { call, errorCode } from "./client";

describe("health", () => {
  it("reports the database and Redis to a caller with a key", async () => {
    const r = await call("GET", "/api/health");
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("ok");
    expect(r.body.database.ok).toBe(true);
    expect(["pglite", "postgres"]).toContain(r.body.database.kind);
    expect(r.body.redis.ok).toBe(true);
  });

  it("tells an anonymous caller only the status (no database kind, no Redis error text)", async () => {
    for (const key of [null, "lk_adm_not-a-real-key"]) {
      const r = await call("GET", "/api/health", { key });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ status: "ok" });
    }
  });
});

describe("authentication and the error shape", () => {
  it("401 without a key, with a malformed header, with an unknown key", async () => {
    const none = await call("GET", "/api/v1/api-keys", { key: null });
    expect(none.status).toBe(401);
    expect(errorCode(none)).toBe("unauthorized");
    expect(none.body.error.message).toMatch(/Authorization: Bearer/);
    const malformed = await call("GET", "/api/v1/api-keys", { key: null, headers: { authorization: "Token abc" } });
    expect(malformed.status).toBe(401);
    const unknown = await call("GET", "/api/v1/api-keys", { key: "lk_adm_not-a-real-key" });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe("Invalid API key.");
  });

  it("400 on invalid JSON and on a bad field, naming it; nothing is created", async () => {
    const before = (await call("GET", "/api/v1/api-keys")).body.data.length;
    const badJson = await call("POST", "/api/v1/api-keys", {
      raw: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(badJson.status).toBe(400);
    expect(errorCode(badJson)).toBe("invalid_input");
    const badScope = await call("POST", "/api/v1/api-keys", { body: { name: "x", scope: "root" } });
    expect(badScope.status).toBe(400);
    expect(badScope.body.error.message).toBe("scope must be one of runtime, admin, skills");
    expect(badScope.body.error.details.field).toBe("scope");
    const noName = await call("POST", "/api/v1/api-keys", { body: { scope: "runtime" } });
    expect(noName.status).toBe(400);
    expect(noName.body.error.details.field).toBe("name");
    expect((await call("GET", "/api/v1/api-keys")).body.data.length).toBe(before);
  });

  it("413 on a body over 1 MiB", async () => {
    const big = await call("POST", "/api/v1/api-keys", {
      body: { name: "x".repeat(1024 * 1024 + 10), scope: "runtime" },
    });
    expect(big.status).toBe(413);
    expect(errorCode(big)).toBe("payload_too_large");
  });
});

describe("API keys over the API", () => {
  it("creates a key shown once, lists without secrets, revokes at once", async () => {
    const created = await call("POST", "/api/v1/api-keys", { body: { name: "runtime for tests", scope: "runtime" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "runtime for tests", scope: "runtime" });
    const key: string = created.body.key;
    expect(key).toMatch(/^lk_rt_/);

    const list = await call("GET", "/api/v1/api-keys");
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(key);
    const listed = list.body.data.find((k: any) => k.id === created.body.id);
    expect(listed).toMatchObject({ name: "runtime for tests", scope: "runtime", revokedAt: null });
    expect(listed.key).toBeUndefined();

    // a runtime key is refused by admin endpoints with 403, not 401
    const wrongScope = await call("GET", "/api/v1/api-keys", { key });
    expect(wrongScope.status).toBe(403);
    expect(errorCode(wrongScope)).toBe("forbidden");

    const revoked = await call("DELETE", `/api/v1/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await call("GET", "/api/v1/api-keys", { key });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toBe("This API key has been revoked.");
  });

  it("an admin key created over the API works at once; unknown ids are 404", async () => {
    const created = await call("POST", "/api/v1/api-keys", { body: { name: "automation", scope: "admin" } });
    expect(created.status).toBe(201);
    const list = await call("GET", "/api/v1/api-keys", { key: created.body.key });
    expect(list.status).toBe(200);
    const missing = await call("DELETE", "/api/v1/api-keys/00000000-0000-0000-0000-000000000000");
    expect(missing.status).toBe(404);
    expect(errorCode(missing)).toBe("not_found");
  });
});
