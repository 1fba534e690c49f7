// The MCP conformance suite (@modelcontextprotocol/conformance, pinned in package.json) against this server: the
// server scenarios that apply to a prompt registry, each run by the suite's own CLI as published, against the
// prompts those scenarios name. The suite's client sends no credentials, so it talks to a gateway that adds a
// runtime key (as an operator's auth proxy would); browsers there have the gateway's origin, which
// scripts/with-server.sh allows. The suite's client never ends its sessions (no DELETE), like many real clients:
// the key's cap (100 by default) holds them, and only an idle session would end to make room.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call } from "./client";
import { forwardRequest } from "../http-forward";

const SCENARIOS = [
  "server-initialize",
  "ping",
  "tools-list",
  "prompts-list",
  "prompts-get-simple",
  "prompts-get-with-args",
  "prompts-get-with-image",
  "completion-complete",
  "dns-rebinding-protection",
];

const gatewayPort = Number(process.env.LECTERN_TEST_MCP_GATEWAY_PORT);
const env = `conformance-${randomBytes(3).toString("hex")}`;
// A 1×1 PNG.
const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const cli = path.join(process.cwd(), "node_modules/@modelcontextprotocol/conformance/dist/index.js");
const shim = path.join(process.cwd(), "test/mcp-conformance/register.mjs");
const out = mkdtempSync(path.join(tmpdir(), "mcp-conformance-"));
let gateway: http.Server;

const ok = async (method: string, p: string, body: unknown) => {
  const r = await call(method, p, { body });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};

/** A prompt the scenarios name, served in `env` (created once per server; a second run reuses it). */
async function seed(name: string, prompt: Record<string, unknown>) {
  const created = await call("POST", "/api/v1/prompts", { body: { name, ...prompt } });
  if (created.status === 409) await ok("POST", `/api/v1/prompts/${name}/versions`, prompt);
  else expect(created.status, JSON.stringify(created.body)).toBe(201);
  const latest = (await ok("GET", `/api/v1/prompts/${name}`, undefined)).prompt.latestVersion;
  await ok("POST", `/api/v1/prompts/${name}/deployments`, { environment: env, version: latest });
}

beforeAll(async () => {
  expect(gatewayPort, "LECTERN_TEST_MCP_GATEWAY_PORT (scripts/with-server.sh sets it)").toBeGreaterThan(0);
  await ok("POST", "/api/v1/environments", { name: env });
  await seed("test_simple_prompt", {
    type: "text",
    description: "A simple prompt without arguments",
    template: "This is a simple prompt for testing.",
  });
  await seed("test_prompt_with_arguments", {
    type: "text",
    description: "A prompt with two arguments",
    template: "Prompt with arguments: arg1='{{arg1}}', arg2='{{arg2}}'",
    variables: [
      { name: "arg1", description: "First test argument" },
      { name: "arg2", description: "Second test argument" },
    ],
  });
  await seed("test_prompt_with_image", {
    type: "chat",
    description: "A prompt with an image",
    template: [
      {
        role: "user",
        content: [
          { type: "image", url: PNG },
          { type: "text", text: "Please analyze the image above." },
        ],
      },
    ],
  });
  const key = (await ok("POST", "/api/v1/api-keys", { name: `conformance-${env}`, scope: "runtime" })).key as string;
  // The gateway: forwards everything to Lectern as it came, with the key added; streams both ways (SSE).
  const upstream = new URL(baseUrl);
  gateway = http.createServer((req, res) =>
    forwardRequest(req, res, {
      host: upstream.hostname,
      port: upstream.port,
      headers: { ...req.headers, authorization: `Bearer ${key}` },
    }),
  );
  await new Promise<void>((resolve) => gateway.listen(gatewayPort, "127.0.0.1", resolve));
});

afterAll(async () => {
  gateway?.closeAllConnections();
  await new Promise((r) => gateway?.close(r));
  rmSync(out, { recursive: true, force: true });
});

/** Runs one scenario with the suite's CLI; answers its exit code, output and the checks it saved. */
let runs = 0;
function runScenario(scenario: string) {
  const dir = path.join(out, `${scenario}-${++runs}`);
  const url = `http://127.0.0.1:${gatewayPort}/api/mcp?environment=${env}`;
  return new Promise<{ code: number; output: string; checks: { id: string; status: string; errorMessage?: string }[] }>(
    (resolve) => {
      execFile(
        process.execPath,
        ["--import", shim, cli, "server", "--url", url, "--scenario", scenario, "-o", dir],
        { timeout: 30_000 },
        (error, stdout, stderr) => {
          const files = readdirSync(dir, { recursive: true }).map(String);
          const checks = files
            .filter((f) => path.basename(f) === "checks.json")
            .flatMap((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")));
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}`, checks });
        },
      );
    },
  );
}

describe("the MCP conformance suite, server scenarios", () => {
  it.each(SCENARIOS)("%s passes", async (scenario) => {
    const r = await runScenario(scenario);
    const failed = r.checks.filter((c) => c.status !== "SUCCESS" && c.status !== "INFO");
    expect(failed, r.output).toEqual([]);
    expect(r.checks.filter((c) => c.status === "SUCCESS").length, `no check passed:\n${r.output}`).toBeGreaterThan(0);
    expect(r.code, r.output).toBe(0);
  });

  it("passes again once the key holds more sessions than the old cap of 20, none of them ended", async () => {
    // The scenarios above left theirs open; 25 more initializations take the key past the old cap of 20 (which
    // ended the least recently used one): the default cap, 100, holds them all.
    for (let i = 0; i < 25; i++) {
      const r = await fetch(`http://127.0.0.1:${gatewayPort}/api/mcp?environment=${env}`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "filler", version: "1" } },
        }),
      });
      expect(r.status, await r.text()).toBe(200);
    }
    for (const scenario of ["server-initialize", "prompts-get-simple"]) {
      const r = await runScenario(scenario);
      expect(r.code, r.output).toBe(0);
    }
  });
});
