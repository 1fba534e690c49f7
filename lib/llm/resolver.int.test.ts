// The caller resolver against a real database and the local model server: one cached caller per
// connection with a shared limiter, rebuilt when the connection changes; the default and the fallback.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { failure, seedProject } from "../../test/domain-fixtures";
import { testConnection } from "./connection-test";

import { createCallerResolver } from "./resolver";
import { createIn, fx, key, local, resolver, server, setUpConnections, t, updateIn } from "./connections.fixture";

setUpConnections();

describe("the caller resolver", () => {
  it("caches one caller per connection, shares its limiter, and rebuilds when the connection changes", async () => {
    const r = resolver();
    const c = await createIn(local({ concurrency: 2 }));
    const first = await r.resolve(t.db, fx.projectId, c.id);
    const again = await r.resolve(t.db, fx.projectId, c.name);
    expect(again.caller).toBe(first.caller);
    expect(first.caller.limiter.limit).toBe(2);

    await updateIn(c.id, { timeoutMs: 5000 });
    const changed = await r.resolve(t.db, fx.projectId, c.id);
    expect(changed.caller).not.toBe(first.caller);
    expect(changed.caller.connection.timeoutMs).toBe(5000);
    expect(changed.caller.limiter).toBe(first.caller.limiter);

    await updateIn(c.id, { concurrency: 3 });
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
    const own = await createIn(local({ isDefault: true }), p);
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
    const withKey = (apiKey: string) => createIn(local({ apiKey, defaultModel: "scripted-model" }));
    const good = await withKey("sk-right-9999");
    const bad = await withKey("sk-wrong-0000");
    expect(await testConnection(fx.ctx(fx.admin), good.id, {}, resolver())).toMatchObject({
      ok: true,
      reply: "OK",
      error: null,
    });
    expect(await testConnection(fx.ctx(fx.admin), bad.id, {}, resolver())).toMatchObject({
      ok: false,
      error: { kind: "auth", status: 401 },
    });
    expect(server().requests.at(-2)!.headers.authorization).toBe("Bearer sk-right-9999");
  });
});
