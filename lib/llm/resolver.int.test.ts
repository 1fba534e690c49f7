// The caller resolver against a real database and the local model server: one cached caller per
// connection with a shared limiter, rebuilt when the connection changes; the default and the fallback.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { failure, seedProject } from "../../test/domain-fixtures";
import { testConnection } from "./connection-test";
import { createConnection, updateConnection } from "./connections";
import { createCallerResolver } from "./resolver";
import { allow, fx, key, local, resolver, server, setUpConnections, t } from "./connections.fixture";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

setUpConnections();

describe("the caller resolver", () => {
  it("caches one caller per connection, shares its limiter, and rebuilds when the connection changes", async () => {
    const r = resolver();
    const c = await createConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      local({ concurrency: 2 }),
      key,
      allow,
    );
    const first = await r.resolve(t.db, fx.projectId, c.id);
    const again = await r.resolve(t.db, fx.projectId, c.name);
    expect(again.caller).toBe(first.caller);
    expect(first.caller.limiter.limit).toBe(2);

    await updateConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      c.id,
      { timeoutMs: 5000 },
      key,
      allow,
    );
    const changed = await r.resolve(t.db, fx.projectId, c.id);
    expect(changed.caller).not.toBe(first.caller);
    expect(changed.caller.connection.timeoutMs).toBe(5000);
    expect(changed.caller.limiter).toBe(first.caller.limiter);

    await updateConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      c.id,
      { concurrency: 3 },
      key,
      allow,
    );
    expect((await r.resolve(t.db, fx.projectId, c.id)).caller.limiter.limit).toBe(3);
  });

  it("uses the project's default, then the server fallback, else says what to do", async () => {
    const p = await seedProject(t.db, `conn-${randomBytes(3).toString("hex")}`);
    expect((await failure(resolver().resolve(t.db, p.projectId))).code).toBe("unavailable");
    const withFallback = createCallerResolver({
      encryptionKey: () => key,
      allowPrivate: false,
      maxResponseBytes: 1 << 20,
      fallback: () => ({ provider: "openai-compatible", baseUrl: server().baseUrl, defaultModel: "scripted-model" }),
    });
    expect(await withFallback.resolve(t.db, p.projectId, "default")).toMatchObject({
      id: "default",
      defaultModel: "scripted-model",
    });
    const own = await createConnection(
      projectContext(t.db, p.admin, p.projectId, noEvents),
      local({ isDefault: true }),
      key,
      allow,
    );
    expect((await withFallback.resolve(t.db, p.projectId)).id).toBe(own.id);
    // Another project's connection is not reachable by id or name.
    expect((await failure(withFallback.resolve(t.db, fx.projectId, own.id))).code).toBe("not_found");

    // The synchronous lookup runs use: by id, by name, default; the same cached caller as resolve.
    const lookup = await withFallback.resolveAll(t.db, p.projectId);
    expect(lookup(own.id)).toBe((await withFallback.resolve(t.db, p.projectId, own.id)).caller);
    expect(lookup(own.name)).toBe(lookup(own.id));
    expect(lookup(undefined)).toBe(lookup(own.id));
    expect(() => lookup("nope")).toThrow("No model connection nope");
    const none = await seedProject(t.db, `conn-${randomBytes(3).toString("hex")}`);
    const noDefault = await resolver().resolveAll(t.db, none.projectId);
    expect(() => noDefault(undefined)).toThrow("No model connection: add one in Settings");
  });

  it("sends the decrypted key to the endpoint", async () => {
    server().script({ apiKey: "sk-right-9999", rules: [{ text: "OK" }] });
    const withKey = (apiKey: string) =>
      createConnection(
        projectContext(t.db, fx.admin, fx.projectId, noEvents),
        local({ apiKey, defaultModel: "scripted-model" }),
        key,
        allow,
      );
    const good = await withKey("sk-right-9999");
    const bad = await withKey("sk-wrong-0000");
    expect(
      await testConnection(projectContext(t.db, fx.admin, fx.projectId, noEvents), good.id, {}, resolver()),
    ).toMatchObject({
      ok: true,
      reply: "OK",
      error: null,
    });
    expect(
      await testConnection(projectContext(t.db, fx.admin, fx.projectId, noEvents), bad.id, {}, resolver()),
    ).toMatchObject({
      ok: false,
      error: { kind: "auth", status: 401 },
    });
    expect(server().requests.at(-2)!.headers.authorization).toBe("Bearer sk-right-9999");
  });
});
