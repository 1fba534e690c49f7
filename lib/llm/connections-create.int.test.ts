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
import { allow, count, fx, key, local, other, setUpConnections, t } from "./connections.fixture";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

setUpConnections();

describe("creating connections", () => {
  it("encrypts the key at rest, bound to the row, and never returns it", async () => {
    const secret = `sk-test-${randomBytes(16).toString("hex")}`;
    const created = await createConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      local({ name: "Local", apiKey: secret, defaultModel: "scripted-model" }),
      key,
      allow,
    );
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

    const listed = await listConnections(projectContext(t.db, fx.admin, fx.projectId, noEvents));
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
    const e = await failure(
      createConnection(projectContext(t.db, fx.admin, fx.projectId, noEvents), local(over), key, allow),
    );
    expect(e.code).toBe(code);
    if (field) expect([e.details?.field, e.message]).toEqual([field, expect.stringContaining(field)]);
    expect(await count()).toBe(before);
  });

  it("refuses a duplicate name in a project with a conflict, but allows it in another project", async () => {
    await createConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      local({ name: "Shared name" }),
      key,
      allow,
    );
    expect(
      (
        await failure(
          createConnection(
            projectContext(t.db, fx.admin, fx.projectId, noEvents),
            local({ name: "Shared name" }),
            key,
            allow,
          ),
        )
      ).code,
    ).toBe("conflict");
    await expect(
      createConnection(
        projectContext(t.db, other.admin, other.projectId, noEvents),
        local({ name: "Shared name" }),
        key,
        allow,
      ),
    ).resolves.toMatchObject({ name: "Shared name" });
  });

  // That managing connections is for admins only is the wrapper's (action-permissions.int.test.ts,
  // own-action-permissions.int.test.ts).
  it("members see names without endpoints or key masks", async () => {
    const choices = await connectionChoices(projectContext(t.db, fx.viewer, fx.projectId, noEvents));
    expect(choices.length).toBeGreaterThan(0);
    expect(Object.keys(choices[0]!).sort()).toEqual(["defaultModel", "id", "isDefault", "name", "provider"]);
  });

  it("keeps one default per project (a database invariant too)", async () => {
    const a = await createConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      local({ isDefault: true }),
      key,
      allow,
    );
    const b = await createConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      local({ isDefault: true }),
      key,
      allow,
    );
    const defaults = (await listConnections(projectContext(t.db, fx.admin, fx.projectId, noEvents)))
      .filter((c) => c.isDefault)
      .map((c) => c.id);
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
    const scripted = await createConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      { name: "Fake", provider: "scripted" },
      null,
    );
    expect(scripted).toMatchObject({ provider: "scripted", baseUrl: null, apiKeyHint: null });
    for (const [over, field] of [
      [{ baseUrl: "https://models.example/v1" }, "baseUrl"],
      [{ apiKey: "sk-1234" }, "apiKey"],
    ] as const) {
      const e = await failure(
        createConnection(
          projectContext(t.db, fx.admin, fx.projectId, noEvents),
          { name: "Fake 2", provider: "scripted", ...over },
          key,
          allow,
        ),
      );
      expect([e.code, e.details?.field]).toEqual(["unprocessable", field]);
    }
    await expect(
      t.db
        .insert(modelConnections)
        .values({ projectId: fx.projectId, name: "raw scripted", provider: "scripted", baseUrl: "https://x.example" }),
    ).rejects.toThrow();
  });
});
