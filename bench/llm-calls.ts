// `npx tsx bench/llm-calls.ts [--items 1000] [--latency 50] [--concurrency 16]`: the model-call half of
// the evaluation benchmark (no database). N calls through callModel and the real AI SDK against the
// local model server with a fixed scripted latency, under one connection's concurrency limit, compared
// with the ideal N × latency / concurrency; then the throughput of the heuristic scorers that online
// evaluation runs per sample. Prints numbers; asserts nothing.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { callModel } from "../lib/llm/call-model";
import { createModelCaller } from "../lib/llm/model-caller";
import { parseScorerSpecs, scoreItemSync } from "../lib/scorers";
import type { LoggedRequest, Script } from "../test/llm-server";

// The server runs in its own process, as a real provider would: in-process, its HTTP work would share
// the client's event loop and be counted as client overhead.
async function serverProcess(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "../test/llm-server.ts"), "--port", "0"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`llm-server exited with ${code}`)));
  });
  return { child, base };
}

const control = (base: string, path: string, body?: unknown) =>
  fetch(`${base.replace(/\/v1$/, "")}${path}`, {
    method: body === undefined && path === "/__requests" ? "GET" : "POST",
    body: body === undefined ? undefined : JSON.stringify(body),
  });

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main() {
  const items = arg("items", 1000);
  const latencyMs = arg("latency", 50);
  const concurrency = arg("concurrency", 16);
  const { child, base } = await serverProcess();
  try {
    const script: Script = {
      latencyMs,
      rules: [{ match: "ticket", text: "Thanks for reaching out. Your refund is on its way." }],
    };
    await control(base, "/__script", script);
    const caller = createModelCaller({
      id: "bench",
      name: "Bench",
      provider: "openai-compatible",
      baseUrl: base,
      concurrency,
      maxRetries: 0,
    });
    // Warm up the HTTP agent and the SDK's lazy imports so they do not count against the first calls.
    await callModel(caller, { model: "m", prompt: "warm-up ticket" });
    await control(base, "/__reset");
    const start = performance.now();
    const results = await Promise.all(
      Array.from({ length: items }, (_, i) => callModel(caller, { model: "m", prompt: `ticket ${i}` })),
    );
    const wall = performance.now() - start;
    const ideal = (items * latencyMs) / concurrency;
    const failed = results.filter((r) => r.error).length;
    const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
    console.log(`model calls: ${items} × ${latencyMs} ms at concurrency ${concurrency}`);
    console.log(
      `  wall ${wall.toFixed(0)} ms, ideal ${ideal.toFixed(0)} ms, ratio ${(wall / ideal).toFixed(3)} (target ≤ 1.3)`,
    );
    const log = (await (await control(base, "/__requests")).json()) as LoggedRequest[];
    console.log(`  requests seen by the server: ${log.length}; failed: ${failed}`);
    console.log(
      `  per-call latency p50 ${latencies[Math.floor(items / 2)]!.toFixed(1)} ms, p99 ${latencies[Math.floor(items * 0.99)]!.toFixed(1)} ms`,
    );
  } finally {
    child.kill("SIGTERM");
  }

  const specs = parseScorerSpecs([
    { type: "length", min: 10, max: 600 },
    { type: "required_fields", fields: ["reply", "sentiment"] },
    {
      type: "json_schema",
      schema: {
        type: "object",
        properties: { reply: { type: "string" }, sentiment: { enum: ["positive", "neutral", "negative"] } },
        required: ["reply"],
      },
    },
    { type: "safety", blockList: ["guarantee", "lawsuit"] },
  ]);
  const outputs = Array.from({ length: 1000 }, (_, i) =>
    JSON.stringify({
      reply: `Thanks for your message #${i}, your refund is on its way.`,
      sentiment: i % 7 === 0 ? "angry" : "positive",
    }),
  );
  const rounds = 20;
  const t0 = performance.now();
  let passed = 0;
  for (let r = 0; r < rounds; r++) for (const output of outputs) if (scoreItemSync(specs, { output }).passed) passed++;
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `heuristic scorers (length, required_fields, json_schema, safety): ${Math.round((rounds * outputs.length) / secs)} samples/s (${passed} passed)`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
