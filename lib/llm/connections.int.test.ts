// Model connections against a real database and the local model server: keys encrypted at rest and
// never returned, bad input refused with the field named and nothing written, per-project isolation,
// the resolver's cache (shared limiter, rebuilt on change), project prices, and the playground.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { modelConnections, modelPrices } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { failure, seedProject, type Fixture } from "../../test/domain-fixtures";
import { recordingClock, withLlmServer } from "../../test/llm-caller";
import { runPlayground } from "../evaluation/playground";
import { createPrompt } from "../registry/prompts";
import { testConnection } from "./connection-test";
import {
  connectionChoices,
  createConnection,
  deleteConnection,
  listConnections,
  updateConnection,
} from "./connections";
import { getPriceSheet, setPrices } from "./project-prices";
import { createCallerResolver } from "./resolver";
import { decryptSecret, SecretError } from "./secrets";
import { loopbackOnly } from "../../test/llm-caller";

let t: TestDatabase;
let fx: Fixture;
let other: Fixture;
const key = randomBytes(32);
const server = withLlmServer();
// The local model server listens on loopback: allowed by address, as an operator allows a local Ollama.
const allow = { allowPrivate: loopbackOnly() };
const resolver = () =>
  createCallerResolver({
    encryptionKey: () => key,
    ...allow,
    maxResponseBytes: 1 << 20,
    callerOptions: { clock: recordingClock(), random: () => 0.5 },
  });

beforeAll(async () => {
  t = await createTestDatabase();
  fx = await seedProject(t.db, "conn");
  other = await seedProject(t.db, "conn-other");
});
afterAll(async () => {
  await t.drop();
});

const count = async () =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from model_connections`))[0]!.n;
const local = (over: Record<string, unknown> = {}) => ({
  name: `local-${randomBytes(3).toString("hex")}`,
  provider: "openai-compatible",
  baseUrl: server().baseUrl,
  ...over,
});

describe("creating connections", () => {
  it("encrypts the key at rest, bound to the row, and never returns it", async () => {
    const secret = `sk-test-${randomBytes(16).toString("hex")}`;
    const created = await createConnection(
      t.db,
      fx.admin,
      fx.projectId,
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

    const listed = await listConnections(t.db, fx.admin, fx.projectId);
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
    const e = await failure(createConnection(t.db, fx.admin, fx.projectId, local(over), key, allow));
    expect(e.code).toBe(code);
    if (field) expect([e.details?.field, e.message]).toEqual([field, expect.stringContaining(field)]);
    expect(await count()).toBe(before);
  });

  it("refuses a duplicate name in a project with a conflict, but allows it in another project", async () => {
    await createConnection(t.db, fx.admin, fx.projectId, local({ name: "Shared name" }), key, allow);
    expect(
      (await failure(createConnection(t.db, fx.admin, fx.projectId, local({ name: "Shared name" }), key, allow))).code,
    ).toBe("conflict");
    await expect(
      createConnection(t.db, other.admin, other.projectId, local({ name: "Shared name" }), key, allow),
    ).resolves.toMatchObject({ name: "Shared name" });
  });

  it("is for admins only; members see names without endpoints or key masks", async () => {
    for (const who of [fx.editor, fx.approver, fx.viewer]) {
      expect((await failure(createConnection(t.db, who, fx.projectId, local(), key, allow))).code).toBe("forbidden");
      expect((await failure(listConnections(t.db, who, fx.projectId))).code).toBe("forbidden");
    }
    const choices = await connectionChoices(t.db, fx.viewer, fx.projectId);
    expect(choices.length).toBeGreaterThan(0);
    expect(Object.keys(choices[0]!).sort()).toEqual(["defaultModel", "id", "isDefault", "name", "provider"]);
  });

  it("keeps one default per project (a database invariant too)", async () => {
    const a = await createConnection(t.db, fx.admin, fx.projectId, local({ isDefault: true }), key, allow);
    const b = await createConnection(t.db, fx.admin, fx.projectId, local({ isDefault: true }), key, allow);
    const defaults = (await listConnections(t.db, fx.admin, fx.projectId)).filter((c) => c.isDefault).map((c) => c.id);
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
});

describe("updating and deleting", () => {
  it("replaces or removes the key, keeps it when omitted, and isolates projects", async () => {
    const c = await createConnection(t.db, fx.admin, fx.projectId, local({ apiKey: "sk-first-1111" }), key, allow);
    const renamed = await updateConnection(
      t.db,
      fx.admin,
      fx.projectId,
      c.id,
      { name: `${c.name}-x`, concurrency: 8 },
      key,
      allow,
    );
    expect(renamed).toMatchObject({ apiKeyHint: "…1111", concurrency: 8 });
    expect(Date.parse(renamed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(c.updatedAt));
    const rekeyed = await updateConnection(
      t.db,
      fx.admin,
      fx.projectId,
      c.id,
      { apiKey: "sk-second-2222" },
      key,
      allow,
    );
    expect(rekeyed.apiKeyHint).toBe("…2222");
    const [row] = await t.db.select().from(modelConnections).where(eq(modelConnections.id, c.id));
    expect(decryptSecret(row!.apiKey!, key, `model_connection:${c.id}`)).toBe("sk-second-2222");
    expect(
      (await updateConnection(t.db, fx.admin, fx.projectId, c.id, { apiKey: null }, key, allow)).apiKeyHint,
    ).toBeNull();

    expect(
      (await failure(updateConnection(t.db, other.admin, other.projectId, c.id, { name: "stolen" }, key, allow))).code,
    ).toBe("not_found");
    expect((await failure(deleteConnection(t.db, other.admin, other.projectId, c.id))).code).toBe("not_found");
    expect(
      (await failure(updateConnection(t.db, fx.admin, fx.projectId, c.id, { concurrency: 300 }, key, allow))).details
        ?.field,
    ).toBe("concurrency");
    expect(
      (await failure(updateConnection(t.db, fx.admin, fx.projectId, c.id, { baseUrl: null }, key, allow))).code,
    ).toBe("unprocessable");

    await deleteConnection(t.db, fx.admin, fx.projectId, c.id);
    expect((await t.db.select().from(modelConnections).where(eq(modelConnections.id, c.id))).length).toBe(0);
  });
});

describe("the caller resolver", () => {
  it("caches one caller per connection, shares its limiter, and rebuilds when the connection changes", async () => {
    const r = resolver();
    const c = await createConnection(t.db, fx.admin, fx.projectId, local({ concurrency: 2 }), key, allow);
    const first = await r.resolve(t.db, fx.projectId, c.id);
    const again = await r.resolve(t.db, fx.projectId, c.name);
    expect(again.caller).toBe(first.caller);
    expect(first.caller.limiter.limit).toBe(2);

    await updateConnection(t.db, fx.admin, fx.projectId, c.id, { timeoutMs: 5000 }, key, allow);
    const changed = await r.resolve(t.db, fx.projectId, c.id);
    expect(changed.caller).not.toBe(first.caller);
    expect(changed.caller.connection.timeoutMs).toBe(5000);
    expect(changed.caller.limiter).toBe(first.caller.limiter);

    await updateConnection(t.db, fx.admin, fx.projectId, c.id, { concurrency: 3 }, key, allow);
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
    const own = await createConnection(t.db, p.admin, p.projectId, local({ isDefault: true }), key, allow);
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
    const good = await createConnection(
      t.db,
      fx.admin,
      fx.projectId,
      local({ apiKey: "sk-right-9999", defaultModel: "scripted-model" }),
      key,
      allow,
    );
    const bad = await createConnection(
      t.db,
      fx.admin,
      fx.projectId,
      local({ apiKey: "sk-wrong-0000", defaultModel: "scripted-model" }),
      key,
      allow,
    );
    expect(await testConnection(t.db, fx.admin, fx.projectId, good.id, {}, resolver())).toMatchObject({
      ok: true,
      reply: "OK",
      error: null,
    });
    expect(await testConnection(t.db, fx.admin, fx.projectId, bad.id, {}, resolver())).toMatchObject({
      ok: false,
      error: { kind: "auth", status: 401 },
    });
    expect(server().requests.at(-2)!.headers.authorization).toBe("Bearer sk-right-9999");
  });
});

describe("prices", () => {
  it("replaces the overrides, refuses bad prices without writing, and costs calls with them", async () => {
    const sheet = await setPrices(t.db, fx.admin, fx.projectId, {
      prices: { "scripted-model": { inputPerMTok: 1000, outputPerMTok: 2000 } },
    });
    expect(sheet.overrides).toEqual({ "scripted-model": { inputPerMTok: 1000, outputPerMTok: 2000 } });
    expect(sheet.defaults["gpt-4o-mini"]).toBeDefined();
    const bad = await failure(
      setPrices(t.db, fx.admin, fx.projectId, { prices: { "scripted-model": { inputPerMTok: -1, outputPerMTok: 0 } } }),
    );
    expect([bad.code, bad.message]).toEqual(["invalid_input", expect.stringContaining("price must not be negative")]);
    expect((await failure(setPrices(t.db, fx.editor, fx.projectId, { prices: {} }))).code).toBe("forbidden");
    expect((await getPriceSheet(t.db, fx.viewer, fx.projectId)).overrides).toEqual(sheet.overrides);
    expect((await getPriceSheet(t.db, other.viewer, other.projectId)).overrides).toEqual({});
    expect(await t.db.select().from(modelPrices).where(eq(modelPrices.projectId, other.projectId))).toEqual([]);
  });
});

describe("the playground", () => {
  it("renders the version, calls its model, and reports output, tokens, cost and latency", async () => {
    const p = await seedProject(t.db, `play-${randomBytes(3).toString("hex")}`);
    await createConnection(t.db, p.admin, p.projectId, local({ name: "Local", isDefault: true }), key, allow);
    await setPrices(t.db, p.admin, p.projectId, {
      prices: { "scripted-model": { inputPerMTok: 2, outputPerMTok: 8 } },
    });
    await createPrompt(p.ctx(p.editor), {
      name: "greet",
      type: "chat",
      template: [
        { role: "system", content: "You greet people." },
        { role: "user", content: "Say hi to {{who}}" },
      ],
      variables: [{ name: "who", type: "string", required: true }],
      config: { model: "scripted-model", temperature: 0.2 },
    });
    server().script({ rules: [{ match: "Say hi to Ann", text: "Hi Ann!", usage: { input: 1000, output: 500 } }] });
    const r = await runPlayground(
      t.db,
      p.editor,
      p.projectId,
      "greet",
      { version: 1, variables: { who: "Ann" } },
      resolver(),
    );
    expect(r).toMatchObject({
      output: "Hi Ann!",
      model: "scripted-model",
      usage: { inputTokens: 1000, outputTokens: 500 },
      error: null,
      connection: { name: "Local" },
    });
    expect(r.costUsd).toBeCloseTo((1000 * 2 + 500 * 8) / 1e6, 12);
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.messages).toEqual([
      { role: "system", content: "You greet people." },
      { role: "user", content: "Say hi to Ann" },
    ]);
    expect((server().requests.at(-1)!.body as { temperature: number }).temperature).toBe(0.2);
    const [audit] = await queryRows<{ after: Record<string, unknown> }>(
      t.db,
      sql`select after from audit_log where action = 'playground.run' and project_id = ${p.projectId}`,
    );
    expect(audit!.after).toMatchObject({
      version: 1,
      model: "scripted-model",
      usage: { inputTokens: 1000, outputTokens: 500 },
      error: null,
    });

    // A failing model comes back as a classified error, with the numbers, not as a thrown error.
    server().script({ rules: [{ fail: { status: 400, message: "model not found" } }] });
    const failed = await runPlayground(
      t.db,
      p.editor,
      p.projectId,
      "greet",
      { version: 1, variables: { who: "Ann" } },
      resolver(),
    );
    expect(failed).toMatchObject({ output: "", error: { kind: "bad_request", status: 400 }, costUsd: null });

    expect(
      (await failure(runPlayground(t.db, p.editor, p.projectId, "greet", { version: 1, variables: {} }, resolver())))
        .code,
    ).toBe("missing_variables");
    expect(
      (
        await failure(
          runPlayground(t.db, p.viewer, p.projectId, "greet", { version: 1, variables: { who: "x" } }, resolver()),
        )
      ).code,
    ).toBe("forbidden");
    expect(
      (
        await failure(
          runPlayground(t.db, p.editor, p.projectId, "greet", { version: 9, variables: { who: "x" } }, resolver()),
        )
      ).code,
    ).toBe("not_found");
    expect(
      (await failure(runPlayground(t.db, p.editor, p.projectId, "greet", { version: "one" }, resolver()))).details
        ?.field,
    ).toBe("version");
  });
});
