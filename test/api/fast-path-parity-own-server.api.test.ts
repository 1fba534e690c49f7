// What only Lectern's own server (`npm start`) does, and the limits both servers share: pipelining,
// event streams per key, declared bodies over the limit, the admin key on runtime paths.
import { beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl, call } from "./client";
import { bearer, nextUrl, paritySetup, raw, same, uniq } from "./parity";

let name = "";
let runtimeKey = "";

beforeAll(async () => {
  ({ name, runtimeKey } = await paritySetup());
});

// Keep-alive and pipelining: two requests written at once on one connection get two answers, in order.
describe("Lectern's own server", () => {
  it("answers pipelined requests on one keep-alive connection in order", async () => {
    const { connect } = await import("node:net");
    const u = new URL(baseUrl);
    const text = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(u.port), u.hostname, () => {
        const one = (q: string) =>
          `GET /api/v1/prompts/resolve?${q} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${runtimeKey}\r\n\r\n`;
        s.write(
          one(`name=${name}&subject=first`) + one("name=does-not-exist-anywhere") + one(`name=${name}&subject=third`),
        );
      });
      let buf = "";
      s.on("data", (d) => {
        buf += d;
        if ((buf.match(/HTTP\/1\.1 /g) ?? []).length === 3 && buf.includes('"subject":"third"')) {
          s.end();
          resolve(buf);
        }
      });
      s.on("error", reject);
      setTimeout(() => reject(new Error(`timed out: ${buf}`)), 10_000);
    });
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]);
    expect(statuses).toEqual(["200", "404", "200"]);
    expect(text.indexOf('"subject":"first"')).toBeLessThan(text.indexOf('"subject":"third"'));
  });

  it("limits open event streams per key with a 429 naming the limit (LECTERN_SSE_MAX_PER_KEY), on both servers", async () => {
    const limit = Number(process.env.LECTERN_TEST_SSE_MAX_PER_KEY ?? "0");
    expect(limit, "with-server.sh sets LECTERN_TEST_SSE_MAX_PER_KEY").toBeGreaterThan(0);
    for (const base of [baseUrl, nextUrl]) {
      const key = (await call("POST", "/api/v1/api-keys", { body: { name: `sse ${uniq()}`, scope: "runtime" } })).body
        .key as string;
      const open: AbortController[] = [];
      try {
        for (let i = 0; i < limit; i++) {
          const ac = new AbortController();
          open.push(ac);
          expect((await fetch(`${base}/api/v1/events`, { headers: bearer(key), signal: ac.signal })).status).toBe(200);
        }
        const refused = await raw(base, "GET", "/api/v1/events", bearer(key));
        expect(refused.status).toBe(429);
        expect(refused.headers["retry-after"]).toBe("5");
        expect(JSON.parse(refused.body).error).toMatchObject({ code: "rate_limited", details: { limit, open: limit } });
      } finally {
        for (const ac of open) ac.abort();
      }
      // A closed stream gives its slot back.
      await new Promise((r) => setTimeout(r, 300));
      const again = await raw(base, "GET", "/api/v1/events", bearer(key), undefined, { maxBytes: 10 });
      expect(again.status).toBe(200);
    }
  });

  it("refuses a declared body over the limit before it arrives, and closes the connection", async () => {
    const { connect } = await import("node:net");
    const u = new URL(baseUrl);
    const text = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(u.port), u.hostname, () => {
        s.write(
          `POST /api/v1/prompts/resolve HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${runtimeKey}\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n{"name":`,
        );
      });
      let buf = "";
      s.on("data", (d) => (buf += d));
      // The server answers without waiting for the 2 MiB and ends the connection.
      s.on("close", () => resolve(buf));
      s.on("error", reject);
      setTimeout(() => reject(new Error(`the connection stayed open: ${buf}`)), 10_000);
    });
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).toContain("connection: close");
    expect(text).toContain(
      '{"error":{"code":"payload_too_large","message":"Request body is larger than 1048576 bytes.","details":{"limit":1048576}}}',
    );
  });

  it("uses the admin key like the route handlers (runtime paths accept it)", async () => {
    expect((await same("GET", `/api/v1/prompts/resolve?name=${name}`, bearer(adminKey))).status).toBe(200);
  });
});
