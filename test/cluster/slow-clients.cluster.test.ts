// Clients that never read, and gzip bombs, against one server: batch answers being written are
// bounded per key and per instance (a reader that never reads holds its slot until it is cut off, and gives it back
// when it goes), resolve answers meanwhile, and a gzip bomb costs its key the whole inflation limit from its ingest
// budget. Functional only: how fast resolve stays is bench/slow-clients.ts's to print, never asserted here.
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, eventually, instanceWithPrompt, type createDatabase, type ServerProcess } from "./harness";

const ADMIN = `lk_cluster_slow_${randomBytes(12).toString("hex")}`;
let db: Awaited<ReturnType<typeof createDatabase>>;
let server: ServerProcess;
let runtimeKey = "";
const keys: string[] = [];

beforeAll(async () => {
  ({ db, server, runtimeKey } = await instanceWithPrompt({
    admin: ADMIN,
    secret: "slow-clients-secret-slow-clients-0001",
    prompt: "slow-prompt",
    templates: ["Hi {{x}}"],
    env: {
      LECTERN_BATCH_STREAMS_PER_KEY: "2",
      LECTERN_BATCH_STREAMS: "3",
      LECTERN_INGEST_BYTES_PER_MINUTE: String(20 * 2 ** 20),
    },
  }));
  // A batch of every prompt is the largest answer one holds (8 MiB): far more than a socket's buffers.
  const must = async (r: ReturnType<typeof api>) => {
    const res = await r;
    if (res.status >= 300) throw new Error(`setup: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const deploy = (name: string) =>
    must(
      api(server, "POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, ADMIN, {
        environment: "production",
        version: 1,
      }),
    );
  await must(
    api(server, "POST", "/api/v1/prompts", ADMIN, { name: "slow/big", type: "text", template: "x".repeat(150_000) }),
  );
  await deploy("slow/big");
  for (let i = 0; i < 60; i++) {
    await must(
      api(server, "POST", "/api/v1/prompts", ADMIN, {
        name: `slow/p${i}`,
        type: "text",
        template: `P${i} {{> slow/big}}`,
      }),
    );
    await deploy(`slow/p${i}`);
  }
  for (let i = 0; i < 4; i++)
    keys.push((await api(server, "POST", "/api/v1/api-keys", ADMIN, { name: `slow-${i}`, scope: "runtime" })).body.key);
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

/** A batch of every prompt whose answer is never read: resolves with the status once it arrives (the socket paused). */
function neverReads(key: string): Promise<{ status: number; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ all: true });
    const socket = connect(server.port, "127.0.0.1", () =>
      socket.write(
        `POST /api/v1/prompts/resolve HTTP/1.1\r\nHost: lectern.test\r\nAuthorization: Bearer ${key}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      ),
    );
    socket.once("data", (d: Buffer) => {
      socket.pause();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(d.toString("latin1"))?.[1]), socket });
    });
    socket.on("error", reject);
  });
}

/** A batch of every prompt, read to its end. */
const batch = (key: string) =>
  fetch(`${server.url}/api/v1/prompts/resolve`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ all: true }),
  }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.json() }));

describe("batch answers being written are bounded per key and per instance", () => {
  it("a key's third is 429, the instance's fourth 503, resolve still answers, and a reader that goes frees its slot", async () => {
    const [a, b, c] = keys as [string, string, string];
    const held = [await neverReads(a), await neverReads(a)];
    expect(held.map((h) => h.status)).toEqual([200, 200]);
    const third = await batch(a);
    expect(third.status).toBe(429);
    expect(third.retryAfter).toBe("1");
    expect(third.body.error.message).toContain("LECTERN_BATCH_STREAMS_PER_KEY");

    const other = await neverReads(b);
    expect(other.status).toBe(200);
    const fourth = await batch(c);
    expect(fourth.status).toBe(503);
    expect(fourth.body.error.message).toContain("LECTERN_BATCH_STREAMS");

    const one = await api(server, "GET", "/api/v1/prompts/resolve?name=slow-prompt", runtimeKey);
    expect(one.status).toBe(200);

    // A reader that goes away gives its slot back: the key's next batch is answered, whole.
    held[0]!.socket.destroy();
    await eventually(
      () => batch(a),
      (r) => r.status === 200,
      10_000,
    );
    const whole = await batch(c);
    expect(whole.status).toBe(200);
    expect(whole.body.prompts.length + whole.body.errors.length).toBe(62);
    for (const h of [held[1]!, other]) h.socket.destroy();
  }, 120_000);
});

describe("a gzip bomb costs its key the inflation limit", () => {
  it("each bomb is 413, and the key is refused before its body is read once the bombs used its bytes", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 2 ** 20), { level: 9 });
    const statuses: number[] = [];
    let refusal: { error: { message: string } } | undefined;
    for (let i = 0; i < 6 && !refusal; i++) {
      const r = await fetch(`${server.url}/api/v1/otel/v1/traces`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${keys[3]}`,
          "content-type": "application/x-protobuf",
          "content-encoding": "gzip",
        },
        body: bomb,
      });
      statuses.push(r.status);
      const body = (await r.json()) as { error: { message: string } };
      if (r.status === 429) refusal = body;
    }
    // 20 MiB a minute, 8 MiB a bomb: three pass (the third into debt), the fourth waits.
    expect(statuses).toEqual([413, 413, 413, 429]);
    expect(refusal!.error.message).toContain("LECTERN_INGEST_BYTES_PER_MINUTE");
  }, 60_000);
});
