// The local model server itself: scripting, runtime control over HTTP, and running it as a process.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseScript, sampleFromSchema, startLlmServer, type LlmServer } from "./llm-server";

let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.script({});
  server.reset();
});

async function chat(content: string, extra: Record<string, unknown> = {}, base = server.baseUrl) {
  const res = await fetch(`${base}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content }], ...extra }),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { choices: Array<{ message: { content: string } }>; error?: { message: string } },
  };
}

const answer = async (content: string, extra?: Record<string, unknown>) =>
  (await chat(content, extra)).body.choices[0]!.message.content;

describe("scripts", () => {
  it("answers deterministically when no rule matches", async () => {
    expect(await answer("Hello there")).toBe("Scripted reply to: Hello there");
    expect(await answer("Hello there")).toBe("Scripted reply to: Hello there");
  });

  it("matches rules by substring, regex and model, first match wins", async () => {
    server.script({
      rules: [
        { model: "other", text: "for other" },
        { match: "refund", text: "Refunds take 5 days." },
        { regex: "^order #\\d+$", flags: "i", text: "Your order ships tomorrow." },
        { match: "refund", text: "never reached" },
      ],
    });
    expect(await answer("I want a refund")).toBe("Refunds take 5 days.");
    expect(await answer("ORDER #42")).toBe("Your order ships tomorrow.");
    expect(await answer("order #42 please")).toBe("Scripted reply to: order #42 please");
    expect(server.requests.map((r) => r.rule)).toEqual([1, 2, undefined]);
  });

  it("cycles through a list of answers and honours times", async () => {
    server.script({
      rules: [
        { match: "q", text: ["one", "two"] },
        { match: "limited", text: "first", times: 1 },
        { match: "limited", text: "after" },
      ],
    });
    expect([await answer("q"), await answer("q"), await answer("q")]).toEqual(["one", "two", "one"]);
    expect([await answer("limited"), await answer("limited")]).toEqual(["first", "after"]);
  });

  it("answers JSON mode with a schema-shaped default", async () => {
    const schema = {
      type: "object",
      properties: {
        score: { type: "integer", minimum: 1 },
        tags: { type: "array" },
        mood: { enum: ["calm", "angry"] },
      },
    };
    const text = await answer("x", { response_format: { type: "json_schema", json_schema: { name: "x", schema } } });
    expect(JSON.parse(text)).toEqual({ score: 1, tags: [], mood: "calm" });
    expect(sampleFromSchema({ anyOf: [{ type: "string" }, { type: "null" }] })).toBe("scripted");
  });

  it("fails as scripted, with a provider-shaped body", async () => {
    server.script({ rules: [{ fail: { status: 429, retryAfter: 7, message: "slow down" } }] });
    const r = await chat("x");
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("7");
    expect(r.body.error).toMatchObject({ message: "slow down", type: "rate_limit_exceeded" });
    const anthropic = await fetch(`${server.baseUrl}/messages`, {
      method: "POST",
      body: JSON.stringify({ model: "c", messages: [{ role: "user", content: "x" }] }),
    });
    expect(await anthropic.json()).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "slow down" },
    });
  });

  it.each([
    [{ rules: [{ regex: "(" }] }, /rules\[0\]\.regex: is not a valid regular expression/],
    [{ rules: [{ fail: { status: 200 } }] }, /rules\[0\]\.fail/],
    [{ latency: 5 }, /script: Unrecognized key/],
    [{ rules: [{ text: [] }] }, /rules\[0\]\.text/],
  ])("rejects the invalid script %j", (script, message) => {
    expect(() => parseScript(script)).toThrow(message);
    expect(() => server.script(script as never)).toThrow(/^Invalid llm-server script:/);
  });
});

describe("control over HTTP", () => {
  it("switches the script, lists requests and resets", async () => {
    const post = (path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });
    expect(await answer("status?")).toBe("Scripted reply to: status?");
    expect((await post("/__script", { default: { text: "degraded answer" } })).status).toBe(200);
    expect(await answer("status?")).toBe("degraded answer");
    const bad = await post("/__script", { rules: "nope" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^Invalid llm-server script:/);
    const log = (await (await fetch(`${server.url}/__requests`)).json()) as Array<{ prompt: string }>;
    expect(log.map((r) => r.prompt)).toEqual(["status?", "status?"]);
    await post("/__reset");
    expect(server.requests).toHaveLength(0);
  });

  it("releases held requests", async () => {
    server.script({ rules: [{ hold: true, text: "released" }] });
    const pending = answer("wait");
    await expect.poll(() => server.inFlight).toBe(1);
    await fetch(`${server.url}/__release`, { method: "POST" });
    expect(await pending).toBe("released");
  });
});

describe("as a process", () => {
  it("starts with a script file and serves it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "llm-server-"));
    const file = join(dir, "script.yaml");
    writeFileSync(file, "rules:\n  - match: ping\n    text: pong\n");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "llm-server.ts"), "--port", "0", "--script", file],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /listening on (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`llm-server exited with ${code}`)));
      });
      const r = await chat("ping", {}, base);
      expect(r.body.choices[0]!.message.content).toBe("pong");
    } finally {
      child.kill("SIGTERM");
    }
  });
});
