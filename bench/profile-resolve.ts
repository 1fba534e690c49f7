// Where one resolve request's time goes on Lectern's own server. Starts the production build on
// a fresh PostgreSQL database (+ Redis), measures GET resolve (an L1 hit) against bare node:http answering the
// same bytes (fast-path.ts, resolveVsBare: alternating rounds, the median of each), then — with --profile — loads
// the same request on a server started with `node --cpu-prof` and prints the functions with the most self time.
//   npx tsx bench/profile-resolve.ts [--profile] [--seconds 8] [--rounds 3] [--out bench/results/profile.json]
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { freePort, ServerProcess } from "../test/cluster/harness";
import { arg, dropProfiles, frameName, readProfile, samplesIn, writeReport, type Profile } from "./cpu-profile";
import { waitFor } from "../test/waits";
import { resolveVsBare } from "./fast-path";
import { hasWrk, load } from "./load-tool";
import { benchAdminKey, benchEnv, seedBenchPrompt } from "./one-server";
import { cpuUs } from "./procs";
import { freshPostgres } from "./setup";
import { runToExit } from "./run-main";

const PG = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";
const seconds = Number(arg("--seconds", "8"));
const rounds = Number(arg("--rounds", "3"));
const profile = process.argv.includes("--profile");
const out = arg("--out", "");
const PATH = "/api/v1/prompts/resolve?name=bench-prompt";
const profDir = `/tmp/lectern-cpu-prof-${process.pid}`;

/**
 * Starts `node --cpu-prof <args>`, waits for `url`, warms it up, loads it for `seconds`, stops it (SIGTERM: node
 * writes the profile as the process exits) and reads the profile's self times over the measured load alone.
 */
async function profiled(args: string[], env: Record<string, string>, url: string, headers: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ["--cpu-prof", `--cpu-prof-dir=${profDir}`, "--cpu-prof-interval=200", ...args],
    { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] },
  );
  const exited = new Promise<number>((r) => child.once("exit", () => r(performance.now())));
  await waitFor(
    () => `the profiled server at ${url}`,
    () =>
      fetch(url + PATH, { headers }).then(
        (r) => r.status === 200,
        () => false,
      ),
    90_000,
  );
  await load(url + PATH, headers, 2, 32, hasWrk());
  const started = performance.now();
  const cpuBefore = cpuUs(child.pid);
  const l = await load(url + PATH, headers, seconds, 32, hasWrk());
  const cpuAfter = cpuUs(child.pid);
  const ended = performance.now();
  // The CPU the kernel charged the server's process (user + system): unlike the profile's samples, not the time
  // it waited for a core on a shared machine.
  const cpuUsPerRequest =
    cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / Math.max(1, l.requests) : null;
  child.kill("SIGTERM");
  const exitAt = await exited;
  const p = readProfile(profDir, child.pid);
  const st = selfTimes(p, (exitAt - started) * 1000, (exitAt - ended) * 1000);
  return {
    load: l,
    cpuUsPerRequest,
    profile: { ...st, busyUsPerRequest: (st.busyMs * 1000) / Math.max(1, l.requests) },
  };
}

/**
 * Self time by function (name, file, line), in ms and as a share of the busy (non-idle) time, of the samples
 * between `from` and `to` µs before the profile's end (the measured load: not the start-up, not the exit).
 */
export function selfTimes(p: Profile, from: number, to: number, top = 30) {
  const self = new Map<string, number>();
  let busy = 0;
  for (const [n, us] of samplesIn(p, from, to)) {
    const key = frameName(n);
    self.set(key, (self.get(key) ?? 0) + us);
    if (n.callFrame.functionName !== "(idle)") busy += us;
  }
  return {
    windowMs: (from - to) / 1000,
    busyMs: busy / 1000,
    top: [...self]
      .filter(([k]) => !k.startsWith("(idle)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, ms: Math.round(us / 100) / 10, share: Math.round((us / busy) * 1000) / 10 })),
  };
}

async function main() {
  const db = await freshPostgres(PG);
  const adminKey = benchAdminKey;
  const env = benchEnv(
    { database: db.url, redis: REDIS, dataDir: "lectern-profile" },
    { LECTERN_MAX_CONNECTIONS_PER_ADDRESS: "10000" },
  );
  const server = new ServerProcess(await freePort(), env);
  const report: Record<string, unknown> = { tool: hasWrk() ? "wrk" : "autocannon", seconds, rounds };
  try {
    await server.start();
    const runtimeKey = await seedBenchPrompt(server, adminKey, { keyName: "p" });
    const vs = await resolveVsBare(server.url, runtimeKey, PATH, { rounds, seconds, connections: 32 });
    report.vsBare = vs;
    console.log(
      `resolve GET ${Math.round(vs.lectern.rps)} req/s p99 ${vs.lectern.p99Ms} ms · bare ${Math.round(vs.bare.rps)} req/s p99 ${vs.bare.p99Ms} ms · ratio ${vs.ratio.toFixed(2)} (${vs.tool})`,
    );
    if (profile) {
      mkdirSync(profDir, { recursive: true });
      const headers = { authorization: `Bearer ${runtimeKey}` };
      // The bytes of the answer, for bare node:http to send (as resolveVsBare does).
      const res = await fetch(server.url + PATH, { headers });
      const answer = { status: 200, headers: {} as Record<string, string>, body: await res.text() };
      res.headers.forEach((v, k) => {
        if (!["date", "connection", "keep-alive", "content-length", "transfer-encoding"].includes(k))
          answer.headers[k] = v;
      });
      const answerFile = path.join(profDir, "answer.json");
      writeFileSync(answerFile, JSON.stringify(answer));
      const lecternPort = await freePort();
      const serverEnv = { NODE_ENV: "production", LECTERN_LOG_LEVEL: "warn", LECTERN_SCHEDULER: "off", ...env };
      const lectern = await profiled(
        ["scripts/start.mjs", "-p", String(lecternPort), "-H", "127.0.0.1"],
        serverEnv,
        `http://127.0.0.1:${lecternPort}`,
        headers,
      );
      const barePort = await freePort();
      const bare = await profiled(
        [
          "--input-type=module",
          "-e",
          "process.on('SIGTERM', () => process.exit(0)); await import('./bench/bare-server.mjs');",
          "bare",
          answerFile,
          String(barePort),
        ],
        {},
        `http://127.0.0.1:${barePort}`,
        headers,
      );
      report.profile = { lectern, bare };
      for (const [label, p] of [
        ["Lectern", lectern],
        ["bare node:http", bare],
      ] as const) {
        console.log(
          `\n${label} under the profiler: ${Math.round(p.load.rps)} req/s p99 ${p.load.p99Ms} ms · ${p.profile.busyMs.toFixed(0)} ms busy of ${p.profile.windowMs.toFixed(0)} ms · ${p.profile.busyUsPerRequest.toFixed(1)} µs busy per request · ${p.cpuUsPerRequest?.toFixed(1) ?? "n/a"} µs CPU per request`,
        );
        for (const t of p.profile.top)
          console.log(`  ${t.share.toFixed(1).padStart(5)} %  ${t.ms.toFixed(1).padStart(8)} ms  ${t.fn}`);
      }
    }
  } finally {
    await server.stop();
    await db.drop();
    dropProfiles(profDir);
  }
  writeReport(out, report);
}

runToExit(main);
