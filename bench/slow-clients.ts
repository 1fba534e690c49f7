// `npm run bench:slow-clients` (`-- --quick` for short rounds): another prompt's resolve while clients that never
// read hold batch answers, and while gzip OTLP bombs are sent. One instance of the production
// build on PostgreSQL + Redis at 127.0.0.1 (TEST_DATABASE_URL / TEST_REDIS_URL override); the attackers run in a
// process of their own (bench/slow-clients-attackers.ts), each with its own runtime key, against prompts of their
// own (60 prompts that each include a 150 KB partial: a batch of them all is the largest answer one holds). The
// victim resolves another prompt with another key, at a steady 500 requests/s over 4 connections. Prints the
// victim's resolve p50/p99/max beside each attack (the median of 3 alternating rounds); asserts nothing.
import { spawn } from "node:child_process";
import { api } from "../test/cluster/harness";
import { benchAdminKey as adminKey, benchOneServer } from "./one-server";
import type { Row } from "./report";
import { steadyResolves, type Latency as Steady } from "./steady-resolves";

type Got = { requests: number; statuses: Record<string, number> };
type Latency = Steady & { statuses: Record<string, number> };
const quick = process.argv.includes("--quick");
const seconds = quick ? 5 : 15;

/** The victim's steady resolves, with its answers counted by status. */
async function victimResolves(base: string, key: string): Promise<Latency> {
  const statuses: Record<string, number> = {};
  return { ...(await steadyResolves(base, key, "victim", seconds, statuses)), statuses };
}

/** The victim's resolves while the attackers of `mode` run; what the attackers got. */
async function during(base: string, victimKey: string, attackKeys: string[], mode: string, clients: number) {
  const attackers = spawn(
    process.execPath,
    ["--import", "tsx", "bench/slow-clients-attackers.ts", base, attackKeys.join(","), mode, String(clients)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  attackers.stdout.on("data", (d: Buffer) => (out += d.toString()));
  while (!out.includes("attacking")) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 1_000)); // the attack under way before the first measured request
  const latency = await victimResolves(base, victimKey);
  attackers.kill("SIGTERM");
  await new Promise((r) => attackers.once("exit", r));
  const got = JSON.parse(out.trim().split("\n").at(-1)!) as Got;
  return { latency, got };
}

benchOneServer("slow", { LECTERN_MAX_CONNECTIONS_PER_ADDRESS: "10000" }, async (server) => {
  const key = async (name: string) =>
    (await api(server, "POST", "/api/v1/api-keys", adminKey, { name, scope: "runtime" })).body.key as string;
  const victimKey = await key("victim");
  const must = async (r: Promise<{ status: number; body: unknown }>) => {
    const res = await r;
    if (res.status >= 300) throw new Error(`setup: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const deploy = (name: string) =>
    must(
      api(server, "POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, adminKey, {
        environment: "production",
        version: 1,
      }),
    );
  await api(server, "POST", "/api/v1/prompts", adminKey, {
    name: "victim",
    type: "text",
    template: "Hello, victim.",
  });
  await deploy("victim");
  await api(server, "POST", "/api/v1/prompts", adminKey, {
    name: "attack/big",
    type: "text",
    template: "x".repeat(150_000),
  });
  await deploy("attack/big");
  for (let i = 0; i < 60; i++) {
    await api(server, "POST", "/api/v1/prompts", adminKey, {
      name: `attack/p${i}`,
      type: "text",
      template: `Prompt ${i}: {{> attack/big}}`,
    });
    await deploy(`attack/p${i}`);
  }

  // Rounds alternate (alone, then each attack) and each row is the median round by p99: this machine's other
  // work moves single rounds by more than the attacks do.
  const rounds = quick ? 1 : 3;
  const scenarios = [
    { mode: "alone", clients: 0, what: "another prompt's resolve at 500/s, alone" },
    { mode: "readers", clients: 10, what: "… while 10 clients (10 keys) ask for {all: true} and never read" },
    { mode: "gzip", clients: 4, what: "… while 4 clients (4 keys) send gzip OTLP bombs (64 MiB of zeros)" },
    { mode: "gzip-keys", clients: 4, what: "… while 4 clients send gzip OTLP bombs, each with the next of 40 keys" },
  ] as const;
  const measured = new Map<string, { latency: Latency; got?: Got }[]>(scenarios.map((s) => [s.mode, []]));
  for (let round = 0; round < rounds; round++)
    for (const s of scenarios) {
      if (s.mode === "alone") {
        measured.get(s.mode)!.push({ latency: await victimResolves(server.url, victimKey) });
        continue;
      }
      // Fresh keys for each round: the bombs of a round before leave their keys in debt.
      const own = await Promise.all(
        Array.from({ length: s.mode === "gzip-keys" ? 40 : 10 }, (_, i) => key(`${s.mode}-${round}-${i}`)),
      );
      measured.get(s.mode)!.push(await during(server.url, victimKey, own, s.mode, s.clients));
    }
  const rows: Row[] = [];
  const lat = (l: Latency) => `p50 ${l.p50Ms} ms · p99 ${l.p99Ms} ms · max ${l.maxMs} ms`;
  const results: Record<string, unknown> = {};
  for (const s of scenarios) {
    const all = measured.get(s.mode)!;
    const median = [...all].sort((a, b) => a.latency.p99Ms - b.latency.p99Ms)[Math.floor(all.length / 2)]!;
    results[s.mode] = all;
    const answered = median.got
      ? ` (${median.got.requests} requests: ${Object.entries(median.got.statuses)
          .map(([st, n]) => `${n}×${st}`)
          .join(" ")})`
      : "";
    rows.push([
      `${s.what}${answered}`,
      `${Math.round(median.latency.rps)} req/s`,
      `${lat(median.latency)} (p99 of the rounds: ${all.map((r) => r.latency.p99Ms).join(", ")} ms)`,
      s.mode === "alone" ? "—" : "p99 < 100 ms",
    ]);
  }
  return { rows, results: { seconds, ...results } };
});
