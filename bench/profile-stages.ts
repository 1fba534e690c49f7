// Where one resolve request's CPU goes, stage by stage: the production build (`npm start`, or
// LECTERN_ROLE=runtime with --runtime) on a fresh PostgreSQL database, started under `node --cpu-prof`,
// answers a fixed number of GET resolves (an L1 hit) and then of rendered POST resolves; for each, the CPU the
// kernel charged the server per request, and the profile's self and inclusive time per function over that
// load alone, in µs per request. Counts, not throughput: readable on a shared machine. `--cases` picks the loads
// (default get,post): get · post (rendered resolve) · pl (PromptLayer templates.get, POST, label, input_variables) ·
// ls (LangSmith pull) · pezzo (Pezzo getPrompt), the reads bench/reads-fast.ts sets beside resolve · mcp (MCP
// prompts/get in one session, as bench/mcp.ts).
//   npx tsx bench/profile-stages.ts [--requests 40000] [--cases get,post,pl] [--runtime] [--out profile.json]
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import autocannon from "autocannon";
import { api, freePort, ServerProcess } from "../test/cluster/harness";
import { waitFor } from "../test/waits";
import { arg, dropProfiles, frameName, readProfile, samplesIn, writeReport, type Profile } from "./cpu-profile";
import { benchAdminKey, benchEnv, seedBenchPrompt } from "./one-server";
import { mcpSession } from "./mcp";
import { cpuUs } from "./procs";
import { freshPostgres } from "./setup";
import { runToExit } from "./run-main";

const PG = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";
const requests = Number(arg("--requests", "40000"));
const out = arg("--out", "");
const picked = arg("--cases", "get,post").split(",");
const profDir = `/tmp/lectern-stages-${process.pid}`;

/**
 * Self and inclusive time by function over the samples between `from` and `to` µs before the profile's end,
 * in µs per request; inclusive counts a function once per sample however deep it recurses.
 */
export function stages(p: Profile, from: number, to: number, n: number, top = 25) {
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let busy = 0;
  for (const [leaf, us] of samplesIn(p, from, to)) {
    if (leaf.callFrame.functionName === "(idle)") continue;
    busy += us;
    const k = frameName(leaf);
    self.set(k, (self.get(k) ?? 0) + us);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const name = frameName(byId.get(id)!);
      if (seen.has(name)) continue;
      seen.add(name);
      incl.set(name, (incl.get(name) ?? 0) + us);
    }
  }
  const per = (us: number) => Math.round((us / n) * 100) / 100;
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, usPerRequest: per(us), share: Math.round((us / busy) * 1000) / 10 }));
  return {
    busyUsPerRequest: per(busy),
    self: rank(self),
    inclusive: [...incl].map(([fn, us]) => ({ fn, us: per(us) })),
  };
}

async function fixed(url: string, opts: Partial<autocannon.Options>, amount: number) {
  const r = await autocannon({ url, connections: 32, amount, ...opts });
  return { rps: r.requests.average, p99Ms: r.latency.p99, total: r.requests.total, non2xx: r.non2xx + r.errors };
}

const PROF_ARGS = [`--cpu-prof`, `--cpu-prof-dir=${profDir}`, "--cpu-prof-interval=100"];

/** `npm start` under the profiler (node does not take --cpu-prof from NODE_OPTIONS). */
function profiledServer(port: number, env: Record<string, string>) {
  let child: ReturnType<typeof spawn> | undefined;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    get pid() {
      return child?.pid;
    },
    async start() {
      child = spawn(process.execPath, [...PROF_ARGS, "scripts/start.mjs", "-p", String(port), "-H", "127.0.0.1"], {
        env: { ...process.env, NODE_ENV: "production", LECTERN_LOG_LEVEL: "warn", LECTERN_SCHEDULER: "off", ...env },
        stdio: ["ignore", "ignore", "inherit"],
      });
      await waitFor(
        () => `the profiled server at ${url}`,
        () =>
          fetch(`${url}/api/health`).then(
            (r) => r.status === 200,
            () => false,
          ),
        120_000,
      );
    },
    stop: () => new Promise((r) => (child!.once("exit", r), child!.kill("SIGTERM"))),
  };
}

type Mark = { label: string; start: number; end: number; load: Awaited<ReturnType<typeof fixed>>; cpu: number };

/** Stops a profiled process and reads its profile over each mark's load. */
async function measured(proc: { pid: number | undefined; stop(): Promise<unknown> }, marks: Mark[]) {
  const exited = performance.now();
  await proc.stop();
  const stopped = performance.now();
  const p = readProfile(profDir, proc.pid);
  // The profile ends as the process exits: between the SIGTERM and the exit event.
  const endAt = (exited + stopped) / 2;
  return marks.map((m) => ({
    label: m.label,
    load: m.load,
    cpuUsPerRequest: Math.round(m.cpu * 10) / 10,
    profile: stages(p, (endAt - m.start) * 1000, (endAt - m.end) * 1000, m.load.total),
  }));
}

async function main() {
  const db = await freshPostgres(PG);
  const adminKey = benchAdminKey;
  mkdirSync(profDir, { recursive: true });
  const env = benchEnv(
    { database: db.url, redis: REDIS, dataDir: "lectern-stages-data" },
    { LECTERN_MAX_CONNECTIONS_PER_ADDRESS: "10000" },
  );
  const setup = new ServerProcess(await freePort(), env);
  const report: Record<string, unknown> = { requests };
  try {
    await setup.start();
    const runtimeKey = await seedBenchPrompt(setup, adminKey, { keyName: "p" });
    const project = (await api(setup, "GET", "/api/v1/project", adminKey)).body as { id: string; slug: string };
    await setup.stop();
    const server = profiledServer(await freePort(), {
      ...env,
      ...(process.argv.includes("--runtime") ? { LECTERN_ROLE: "runtime" } : {}),
    });
    await server.start();
    const pid = server.pid!;
    const auth = { authorization: `Bearer ${runtimeKey}` };
    const get = { headers: auth };
    const post = {
      method: "POST" as const,
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ name: "bench-prompt", variables: { name: "Ana" } }),
    };
    const getUrl = `${server.url}/api/v1/prompts/resolve?name=bench-prompt`;
    const json = { "content-type": "application/json" };
    const cases: Record<string, [string, string, Partial<autocannon.Options>]> = {
      get: ["GET resolve", getUrl, get],
      post: ["POST resolve (rendered)", `${server.url}/api/v1/prompts/resolve`, post],
      pl: [
        "PromptLayer templates.get (POST, label, input_variables)",
        `${server.url}/api/compat/promptlayer/prompt-templates/bench-prompt`,
        {
          method: "POST",
          headers: { ...json, "x-api-key": runtimeKey },
          body: JSON.stringify({ label: "production", input_variables: { name: "Ana" } }),
        },
      ],
      ls: [
        "LangSmith pull (GET commits/{owner}/{repo}/production)",
        `${server.url}/api/compat/langsmith/commits/${project.slug}/bench-prompt/production`,
        { headers: { "x-api-key": runtimeKey } },
      ],
      pezzo: [
        "Pezzo getPrompt (GET)",
        `${server.url}/api/compat/pezzo/api/prompts/v2/deployment?name=bench-prompt&environmentName=Production`,
        { headers: { "x-pezzo-api-key": runtimeKey, "x-pezzo-project-id": project.id } },
      ],
    };
    if (picked.includes("mcp")) {
      // One session, initialized here; prompts/get in it, as bench/mcp.ts measures it.
      const { mcp, session } = await mcpSession(server.url, runtimeKey);
      cases.mcp = [
        "MCP prompts/get (one session)",
        `${server.url}/api/mcp`,
        {
          method: "POST",
          headers: { ...mcp, "mcp-session-id": session },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 2,
            method: "prompts/get",
            params: { name: "bench-prompt", arguments: { name: "Ana" } },
          }),
        },
      ];
    }
    const marks: Mark[] = [];
    for (const [label, url, opts] of picked.map((c) => cases[c] ?? ([`${c}: no such case`, "", {}] as const))) {
      if (!url) throw new Error(`${label} (get, post, pl, ls, pezzo, mcp)`);
      await fixed(url, opts, 5000); // warm-up
      const c0 = cpuUs(pid)!;
      const start = performance.now();
      const load = await fixed(url, opts, requests);
      const end = performance.now();
      const cpu = (cpuUs(pid)! - c0) / load.total;
      marks.push({ label, start, end, load, cpu });
    }
    // The bytes of GET's answer, for bare node:http to send (as bench/fast-path.ts does).
    const res = await fetch(getUrl, { headers: auth });
    const answer = { status: 200, headers: {} as Record<string, string>, body: await res.text() };
    res.headers.forEach((v, k) => {
      if (!["date", "connection", "keep-alive", "content-length", "transfer-encoding"].includes(k))
        answer.headers[k] = v;
    });
    const results = [...(await measured(server, marks))];
    writeFileSync(path.join(profDir, "answer.json"), JSON.stringify(answer));
    const bare = spawn(
      process.execPath,
      [
        ...PROF_ARGS,
        "--input-type=module",
        "-e",
        "process.on('SIGTERM', () => process.exit(0)); await import('./bench/bare-server.mjs');",
        "bare",
        path.join(profDir, "answer.json"),
        String(await freePort()),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const port = Number(/on (\d+)/.exec(String(await new Promise((r) => bare.stdout!.once("data", r))))![1]);
    const bareMarks: typeof marks = [];
    await fixed(`http://127.0.0.1:${port}/`, get, 5000);
    const c0 = cpuUs(bare.pid)!;
    const start = performance.now();
    const load = await fixed(`http://127.0.0.1:${port}/`, get, requests);
    bareMarks.push({
      label: "bare node:http, GET's bytes",
      start,
      end: performance.now(),
      load,
      cpu: (cpuUs(bare.pid)! - c0) / load.total,
    });
    results.push(
      ...(await measured(
        { pid: bare.pid, stop: () => new Promise((r) => (bare.once("exit", r), bare.kill("SIGTERM"))) },
        bareMarks,
      )),
    );
    report.results = results;
    for (const r of results) {
      console.log(
        `\n${r.label}: ${r.load.total} requests, ${Math.round(r.load.rps)} req/s, p99 ${r.load.p99Ms} ms, non-2xx ${r.load.non2xx} · ${r.cpuUsPerRequest} µs CPU/request (kernel) · ${r.profile.busyUsPerRequest} µs busy/request (profile)`,
      );
      console.log("  self time (µs/request, % of busy):");
      for (const t of r.profile.self)
        console.log(`  ${t.usPerRequest.toFixed(2).padStart(7)}  ${t.share.toFixed(1).padStart(5)} %  ${t.fn}`);
      console.log("  inclusive (µs/request), the request path's frames:");
      for (const t of r.profile.inclusive.filter((x) => x.us >= 0.3).slice(0, 60))
        console.log(`  ${t.us.toFixed(2).padStart(7)}  ${t.fn}`);
    }
  } finally {
    await db.drop();
    dropProfiles(profDir);
  }
  writeReport(out, report);
}

runToExit(main);
