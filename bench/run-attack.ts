// Resolve while someone pushes the limits: the same steady resolve load (500 requests/s, 4 connections,
// a different subject each) alone, then while one client sends OTLP exports at the element limit back to back
// (240 spans of 1,000 attributes, the costliest to decode: about 150 ms each, on the decoder's worker thread) and two
// ask for a batch of every prompt of a project whose prompts render past the batch answer's cap (413). Prints
// resolve's latency both ways and what the attackers got.
import { spawn } from "node:child_process";
import { api } from "../test/cluster/harness";
import type { Report } from "./report";
import { steadyResolves, type Latency } from "./steady-resolves";
import type { Servers } from "./run-http";

export async function underAttack(report: Report, s: Servers) {
  const { a, adminKey, runtimeKey } = s;
  const seconds = s.quick ? 4 : 10;
  // A project's worth of prompts that each include one large partial: a batch of them all is over the cap.
  await api(a, "POST", "/api/v1/prompts", adminKey, {
    name: "attack/big",
    type: "text",
    template: "x".repeat(150_000),
  });
  await api(a, "POST", "/api/v1/prompts/attack%2Fbig/deployments", adminKey, { environment: "production", version: 1 });
  for (let i = 0; i < 60; i++) {
    await api(a, "POST", "/api/v1/prompts", adminKey, {
      name: `attack/p${i}`,
      type: "text",
      template: `Prompt ${i}: {{> attack/big}}`,
    });
    await api(a, "POST", `/api/v1/prompts/attack%2Fp${i}/deployments`, adminKey, {
      environment: "production",
      version: 1,
    });
  }
  const alone = await steadyResolves(a.url, runtimeKey, "bench-prompt", seconds);

  // The attackers run in their own process, as they would on another machine (bench/attackers.ts).
  const attackers = spawn(process.execPath, ["--import", "tsx", "bench/attackers.ts", a.url, runtimeKey], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  attackers.stdout.on("data", (d: Buffer) => (out += d.toString()));
  while (!out.includes("attacking")) await new Promise((r) => setTimeout(r, 50));
  const attacked = await steadyResolves(a.url, runtimeKey, "bench-prompt", seconds);
  attackers.kill("SIGTERM");
  await new Promise((r) => attackers.once("exit", r));
  const got = JSON.parse(out.slice(out.indexOf("{"))) as {
    otlp: number;
    otlpStatuses: number[];
    batch: number;
    batchStatuses: number[];
  };

  report.results.underAttack = {
    alone,
    attacked,
    otlpExports: got.otlp,
    otlpStatuses: [...got.otlpStatuses],
    batchResolves: got.batch,
    batchStatuses: [...got.batchStatuses],
  };
  const lat = (l: Latency) => `p50 ${l.p50Ms} ms · p99 ${l.p99Ms} ms · max ${l.maxMs} ms`;
  report.rows.push(["HTTP resolve at 500/s, alone", `${Math.round(alone.rps)} req/s`, lat(alone), "—"]);
  report.rows.push([
    `… while OTLP at the limit (${got.otlp} exports, ${[...got.otlpStatuses].join("/")}) and batch over the cap (${got.batch}, ${[...got.batchStatuses].join("/")})`,
    `${Math.round(attacked.rps)} req/s`,
    lat(attacked),
    "unchanged",
  ]);
}
