// A model connection's base URL is chosen by a project admin, who may be anyone who signed up: it must
// not reach inside the network Lectern runs in (checked on the address each call connects to), must
// not follow redirects, must never hand back the endpoint's body, and the stored key must not follow
// the connection to a new URL.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { failure, seedProject, type Fixture } from "../../test/domain-fixtures";
import { loopbackOnly, recordingClock } from "../../test/llm-caller";
import type { Resolver } from "../net/ssrf";
import { testConnection } from "./connection-test";
import { createConnection, updateConnection } from "./connections";
import { createCallerResolver } from "./resolver";

let t: TestDatabase;
let fx: Fixture;
const key = randomBytes(32);
const allow = { allowPrivate: loopbackOnly() };
// Names the tests choose resolve where the test says (DNS rebinding, an internal name).
const dns: Record<string, string> = {};
const dnsResolver: Resolver = async (host) => [{ address: dns[host] ?? "203.0.113.7", family: 4 }];
const resolver = () =>
  createCallerResolver({
    encryptionKey: () => key,
    ...allow,
    maxResponseBytes: 64 * 1024,
    dnsResolver,
    callerOptions: { clock: recordingClock(), random: () => 0.5 },
  });

const createIn = (input: unknown) => createConnection(fx.ctx(fx.admin), input, key, allow);
const updateIn = (id: string, input: unknown) => updateConnection(fx.ctx(fx.admin), id, input, key, allow);

// An "internal" server on 127.0.0.1 (allowed, as a local Ollama would be): what it answers and what it received.
let internal: Server;
let port = 0;
const received: { url: string; method: string; authorization?: string }[] = [];
let reply: (url: string) => { status: number; headers?: Record<string, string>; body: string } = () => ({
  status: 500,
  body: "",
});

beforeAll(async () => {
  t = await createTestDatabase();
  fx = await seedProject(t.db, "ssrf");
  internal = createServer((req, res) => {
    received.push({ url: req.url!, method: req.method!, authorization: req.headers.authorization });
    const r = reply(req.url!);
    res.writeHead(r.status, r.headers).end(r.body);
  });
  await new Promise<void>((ok) => internal.listen(0, "127.0.0.1", ok));
  port = (internal.address() as AddressInfo).port;
});
afterAll(async () => {
  internal?.close();
  await t.drop();
});

const conn = (baseUrl: string, over: Record<string, unknown> = {}) => ({
  name: `c-${randomBytes(3).toString("hex")}`,
  provider: "openai-compatible",
  baseUrl,
  apiKey: "sk-stored-secret-7777",
  defaultModel: "m",
  ...over,
});

describe("model connections and private addresses", () => {
  it.each([
    ["loopback", "http://127.0.0.2:8080/v1"],
    ["localhost", "http://localhost:8080/v1"],
    ["private", "http://10.1.2.3/v1"],
    ["metadata", "http://169.254.169.254/latest"],
    ["CGNAT", "http://100.64.0.1/v1"],
    ["IPv6 loopback", "http://[::1]:11434/v1"],
    ["IPv4-mapped", "http://[::ffff:10.0.0.1]/v1"],
    // Names that mean an inside address by themselves, in every spelling, refused when saved as well.
    ["localhost with a trailing dot", "http://localhost.:8080/v1"],
    ["LOCALHOST..", "http://LOCALHOST../v1"],
    ["localhost.localdomain", "http://localhost.localdomain/v1"],
    ["GCP metadata name", "http://metadata.google.internal/computeMetadata/v1"],
    ["GCP metadata name with a trailing dot", "http://metadata.google.internal./computeMetadata/v1"],
    ["AWS metadata name", "http://instance-data/latest"],
  ])("refuses a %s base URL when saved, naming the field", async (_, baseUrl) => {
    const e = await failure(
      createConnection(fx.ctx(fx.admin), conn(baseUrl), key, {
        allowPrivate: false,
      }),
    );
    expect([e.code, e.details?.field]).toEqual(["invalid_input", "baseUrl"]);
    expect(e.message).toContain("LECTERN_CONNECTIONS_ALLOW_PRIVATE");
  });

  it.each([
    ["a fragment", `http://127.0.0.1:1/admin#`],
    ["credentials", "https://user:pass@api.example.com/v1"],
    ["a query string", "https://api.example.com/v1?x=1"],
    ["another scheme", "file:///etc/passwd"],
    ["ftp", "ftp://api.example.com/v1"],
  ])("refuses a base URL with %s", async (_, baseUrl) => {
    const e = await failure(createIn(conn(baseUrl)));
    expect([e.code, e.details?.field]).toEqual(["invalid_input", "baseUrl"]);
  });

  it("checks the address each call connects to: a name that resolves to a private address is refused", async () => {
    const name = `rebind-${randomBytes(3).toString("hex")}.example`;
    dns[name] = "203.0.113.9"; // public when saved…
    const c = await createIn(conn(`http://${name}:${port}/v1`));
    dns[name] = "127.0.0.2"; // …loopback when called
    const before = received.length;
    const r = await testConnection(fx.ctx(fx.admin), c.id, {}, resolver());
    expect(r).toMatchObject({ ok: false, error: { kind: "refused", retryable: false } });
    expect(r.error!.message).toContain("127.0.0.2");
    expect(received.length).toBe(before);
    // An allowed address (the operator listed it) is reached.
    dns[name] = "127.0.0.1";
    reply = () => ({ status: 401, body: "" });
    expect(await testConnection(fx.ctx(fx.admin), c.id, {}, resolver())).toMatchObject({
      ok: false,
      error: { kind: "auth", status: 401 },
    });
    expect(received.length).toBe(before + 1);
  });

  it("never follows a redirect and never answers the endpoint's body", async () => {
    const c = await createIn(conn(`http://127.0.0.1:${port}/v1`));
    reply = (url) =>
      url.startsWith("/v1/")
        ? { status: 302, headers: { location: `http://127.0.0.1:${port}/internal-secret` }, body: "" }
        : { status: 200, body: "TOP-SECRET-INTERNAL-PAGE" };
    const before = received.length;
    const redirected = await testConnection(fx.ctx(fx.admin), c.id, {}, resolver());
    expect(redirected).toMatchObject({ ok: false, error: { kind: "refused" } });
    expect(received.slice(before).map((r) => r.url)).toEqual(["/v1/chat/completions"]);

    reply = () => ({ status: 500, body: "<html>TOP-SECRET-INTERNAL-PAGE admin panel</html>" });
    const failed = await testConnection(fx.ctx(fx.admin), c.id, {}, resolver());
    expect(failed).toMatchObject({ ok: false, error: { kind: "server_error", status: 500 } });
    expect(JSON.stringify(failed)).not.toContain("TOP-SECRET");
    // A provider's short error code is kept (it is what an admin needs to fix a connection).
    reply = () => ({
      status: 404,
      body: JSON.stringify({ error: { message: "TOP-SECRET", code: "model_not_found" } }),
    });
    const notFound = await testConnection(fx.ctx(fx.admin), c.id, {}, resolver());
    expect(notFound.error!.message).toBe("HTTP 404: no such model or endpoint (model_not_found)");
  });

  it("cuts off an answer larger than the cap", async () => {
    const c = await createIn(conn(`http://127.0.0.1:${port}/v1`));
    reply = () => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ choices: [{ message: { role: "assistant", content: "x".repeat(200_000) } }] }),
    });
    const r = await testConnection(fx.ctx(fx.admin), c.id, {}, resolver());
    expect(r).toMatchObject({ ok: false, error: { kind: "refused" } });
    expect(r.error!.message).toContain("LECTERN_MODEL_ANSWER_MAX_BYTES");
  });
});

describe("a connection's stored key", () => {
  it("does not follow a new base URL: the key is cleared and must be entered again", async () => {
    const c = await createIn(conn(`http://127.0.0.1:${port}/v1`));
    expect(c.apiKeyHint).toBe("…7777");
    // Any other field leaves the key alone, and so does the same URL sent again (a form sends every field).
    expect((await updateIn(c.id, { concurrency: 2 })).apiKeyHint).toBe("…7777");
    expect((await updateIn(c.id, { baseUrl: c.baseUrl })).apiKeyHint).toBe("…7777");
    const moved = await updateIn(c.id, { baseUrl: `http://127.0.0.1:${port}/v2` });
    expect(moved.apiKeyHint).toBeNull();
    reply = () => ({ status: 401, body: "" });
    const before = received.length;
    await testConnection(fx.ctx(fx.admin), c.id, {}, resolver());
    expect(received.slice(before).map((r) => r.authorization)).toEqual([undefined]);
    // A new URL with a new key keeps the new key.
    const rekeyed = await updateIn(c.id, { baseUrl: `http://127.0.0.1:${port}/v3`, apiKey: "sk-new-1234" });
    expect(rekeyed.apiKeyHint).toBe("…1234");
  });
});
