// A server that misbehaves (the same cases as sdk-python/tests/test_hostile.py): a body cut short, one
// sent a byte at a time, one too large, a redirect to another origin, an endless event-stream line. Each ends in
// the client's own error, so a fallback applies, within the call's timeout; the API key never leaves the origin
// it was given for.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { goodKey } from "../test/fake-server";
import { createClient } from "./client";
import { LecternNetworkError } from "./errors";
import { MAX_ANSWER_BYTES } from "./http";
import { MAX_EVENT, MAX_LINE, SseParser, SseTooLarge } from "./sse";
import type { LecternClient } from "./types";

const servers: Server[] = [];
const clients: LecternClient[] = [];
const errors: Error[] = [];

async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(baseUrl: string, timeoutMs = 2000) {
  const c = createClient({
    baseUrl,
    apiKey: goodKey,
    push: false,
    pollIntervalMs: 0,
    timeoutMs,
    onError: (e) => errors.push(e),
  });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  errors.length = 0;
});

const fallbackCause = () => {
  const served = errors.find((e) => (e as { code?: string }).code === "fallback") as
    (Error & { cause?: unknown }) | undefined;
  return served?.cause as LecternNetworkError | undefined;
};

describe("a hostile server", () => {
  it("cutting a body short gets the fallback", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"name": "gr');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const p = await client(url).getPrompt("greet", { fallback: "Hi {{name}}" });
    expect(p.isFallback).toBe(true);
    expect(p.render({ name: "Ada" })).toBe("Hi Ada");
    expect(fallbackCause()).toBeInstanceOf(LecternNetworkError);
  });

  it("dripping a body a byte at a time is stopped by the call's timeout, not each read's", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      let sent = 0;
      const drip = setInterval(() => {
        if (res.destroyed || ++sent > 100) return clearInterval(drip);
        res.write(" ");
      }, 200);
      res.on("close", () => clearInterval(drip));
    });
    const started = Date.now();
    const e = await client(url, 1000)
      .getPrompt("greet")
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LecternNetworkError);
    expect((e as LecternNetworkError).code).toBe("timeout");
    // Each byte came well within the timeout; the whole body would take 20 s.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("an answer past the limit is refused without being read to its end", async () => {
    let written = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const block = Buffer.alloc(1 << 16, 32);
      const pump = () => {
        while (written < MAX_ANSWER_BYTES * 4 && !res.destroyed) {
          written += block.length;
          if (!res.write(block)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("error", () => {});
      pump();
    });
    const e = await client(url, 30_000)
      .getPrompt("greet")
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LecternNetworkError);
    expect((e as LecternNetworkError).code).toBe("too_large");
    expect(written).toBeLessThan(MAX_ANSWER_BYTES * 4);
  });

  it("a redirect to another origin is not followed, and the key does not go there", async () => {
    const seen: (string | undefined)[] = [];
    const other = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(404).end();
    });
    const target = other.replace("127.0.0.1", "localhost");
    const url = await serve((req, res) => {
      res.writeHead(302, { location: `${target}${req.url}` }).end();
    });
    const p = await client(url).getPrompt("greet", { fallback: "Hi {{name}}" });
    expect(p.isFallback).toBe(true);
    expect(seen).toEqual([]);
    // Events are not sent after a redirect either.
    const c = client(url);
    c.track({ type: "feedback", prompt: "greet", version: 1, subject: "u", value: true } as never);
    await c.flush().catch(() => {});
    expect(seen).toEqual([]);
  });
});

describe("the event stream's parser", () => {
  it("ends an endless line in linear time", () => {
    const p = new SseParser({ onEvent: () => {} });
    const started = performance.now();
    expect(() => {
      for (let i = 0; i < MAX_LINE + 10; i++) p.push("x");
    }).toThrow(SseTooLarge);
    expect(performance.now() - started).toBeLessThan(5000);
    // Big chunks too.
    const q = new SseParser({ onEvent: () => {} });
    const chunk = "y".repeat(1 << 16);
    expect(() => {
      for (let i = 0; i < MAX_LINE / chunk.length + 2; i++) q.push(chunk);
    }).toThrow(SseTooLarge);
  });

  it("ends an event of many lines, none too long, past its limit", () => {
    const p = new SseParser({ onEvent: () => {} });
    expect(() => {
      for (let i = 0; i < MAX_EVENT / 1000 + 100; i++) p.push(`data: ${"z".repeat(994)}\n`);
    }).toThrow(SseTooLarge);
    // And keeps working after: the next events parse.
    const got: string[] = [];
    const q = new SseParser({ onEvent: (e) => got.push(e.data) });
    q.push("data: a\n\ndata: b\r\n\r\n");
    expect(got).toEqual(["a", "b"]);
  });
});
