// Creating model connections against a real database: keys encrypted at rest and never returned,
// bad input refused with the field named and nothing written, one default per project.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { modelConnections } from "../../db/schema";
import { failure } from "../../test/domain-fixtures";
import { connectionChoices, createConnection, listConnections } from "./connections";
import { decryptSecret, SecretError } from "./secrets";
import { count, createIn, fx, key, local, other, setUpConnections, t } from "./connections.fixture";

setUpConnections();

describe("creating connections", () => {
  it("encrypts the key at rest, bound to the row, and never returns it", async () => {
    const secret = `sk-test-${randomBytes(16).toString("hex")}`;
    const created = await createIn(local({ name: "Local", apiKey: secret, defaultModel: "scripted-model" }));
    expect(created).toMatchObject({
      name: "Local",
      provider: "openai-compatible",
      apiKeyHint: `…${secret.slice(-4)}`,
      concurrency: 4,
      timeoutMs: 60000,
      maxRetries: 3,
      isDefault: false,
    });
    expect(JSON.stringify(created)).not.toContain(secret);

    const [row] = await queryRows<Record<string, unknown>>(
      t.db,
      sql`select * from model_connections where id = ${created.id}`,
    );
    expect(JSON.stringify(row)).not.toContain(secret);
    const stored = row!.api_key as string;
    expect(stored).toMatch(/^v1\./);
    expect(decryptSecret(stored, key, `model_connection:${created.id}`)).toBe(secret);
    expect(() => decryptSecret(stored, randomBytes(32), `model_connection:${created.id}`)).toThrow(SecretError);
    // Copied onto another row, the ciphertext does not decrypt: the id is bound in.
    expect(() => decryptSecret(stored, key, "model_connection:00000000-0000-4000-8000-000000000000")).toThrow(
      SecretError,
    );

    const listed = await listConnections(fx.ctx(fx.admin));
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.find((c) => c.id === created.id)?.apiKeyHint).toBe(`…${secret.slice(-4)}`);
    const audit = await queryRows<{ after: unknown }>(
      t.db,
      sql`select after from audit_log where object_id = ${created.id}`,
    );
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["no name", { name: "" }, "invalid_input", "name"],
    ["an unknown provider", { provider: "cohere" }, "invalid_input", "provider"],
    ["a base URL that is not http(s)", { baseUrl: "ftp://x" }, "invalid_input", "baseUrl"],
    ["openai-compatible without a base URL", { baseUrl: undefined }, "unprocessable", "baseUrl"],
    ["concurrency 0", { concurrency: 0 }, "invalid_input", "concurrency"],
    ["a fractional timeout", { timeoutMs: 1.5 }, "invalid_input", "timeoutMs"],
    ["11 retries", { maxRetries: 11 }, "invalid_input", "maxRetries"],
    ["an unknown key header", { apiKeyHeader: "cookie" }, "invalid_input", "apiKeyHeader"],
    ["an unknown field", { secret: "x" }, "invalid_input", ""],
  ])("refuses %s, naming the field, and writes nothing", async (_, over, code, field) => {
    const before = await count();
    const e = await failure(createIn(local(over)));
    expect(e.code).toBe(code);
    if (field) expect([e.details?.field, e.message]).toEqual([field, expect.stringContaining(field)]);
    expect(await count()).toBe(before);
  });

  it("refuses a duplicate name in a project with a conflict, but allows it in another project", async () => {
    await createIn(local({ name: "Shared name" }));
    expect((await failure(createIn(local({ name: "Shared name" })))).code).toBe("conflict");
    await expect(createIn(local({ name: "Shared name" }), other)).resolves.toMatchObject({ name: "Shared name" });
  });

  // That managing connections is for admins only is the wrapper's (action-permissions.int.test.ts,
  // own-action-permissions.int.test.ts).
  it("members see names without endpoints or key masks", async () => {
    const choices = await connectionChoices(fx.ctx(fx.viewer));
    expect(choices.length).toBeGreaterThan(0);
    expect(Object.keys(choices[0]!).sort()).toEqual(["defaultModel", "id", "isDefault", "name", "provider"]);
  });

  it("keeps one default per project (a database invariant too)", async () => {
    const a = await createIn(local({ isDefault: true }));
    const b = await createIn(local({ isDefault: true }));
    const defaults = (await listConnections(fx.ctx(fx.admin))).filter((c) => c.isDefault).map((c) => c.id);
    expect(defaults).toEqual([b.id]);
    await expect(
      t.db.update(modelConnections).set({ isDefault: true }).where(eq(modelConnections.id, a.id)),
    ).rejects.toThrow();
  });

  it("refuses a plaintext key written straight into the table", async () => {
    await expect(
      t.db
        .insert(modelConnections)
        .values({ projectId: fx.projectId, name: "raw", provider: "openai", apiKey: "sk-plain" }),
    ).rejects.toThrow();
  });

  it("takes the built-in scripted model without endpoint or key, and refuses either (a database rule too)", async () => {
    const scripted = await createConnection(fx.ctx(fx.admin), { name: "Fake", provider: "scripted" }, null);
    expect(scripted).toMatchObject({ provider: "scripted", baseUrl: null, apiKeyHint: null });
    for (const [over, field] of [
      [{ baseUrl: "https://models.example/v1" }, "baseUrl"],
      [{ apiKey: "sk-1234" }, "apiKey"],
    ] as const) {
      const e = await failure(createIn({ name: "Fake 2", provider: "scripted", ...over }));
      expect([e.code, e.details?.field]).toEqual(["unprocessable", field]);
    }
    await expect(
      t.db
        .insert(modelConnections)
        .values({ projectId: fx.projectId, name: "raw scripted", provider: "scripted", baseUrl: "https://x.example" }),
    ).rejects.toThrow();
  });
});
