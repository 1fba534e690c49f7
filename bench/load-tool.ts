// Load generation for the HTTP benchmarks: wrk when installed (a C load generator: autocannon, in
// JavaScript, saturates first), else autocannon; closed-loop or paced.
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import autocannon from "autocannon";

export type Load = { rps: number; p50Ms: number; p99Ms: number; requests: number; errors: number; tool: string };

export function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (e) {
    // wrk --version exits 1 after printing its version; only a missing binary is ENOENT.
    return (e as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

const msOf = (v: string, unit: string) => Number(v) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit]!;

// Each connection waits this many milliseconds before each request (wrk's `delay` hook): a steady
// offered load below saturation, where latency is the server's own and not the queue a closed loop builds.
const PACED_SCRIPT = "/tmp/lectern-bench-paced.lua";
const PACED_LUA =
  "local pause = 0\nfunction init(args) pause = tonumber(args[1]) end\nfunction delay() return pause end\n";

/**
 * `connections` connections for `seconds` seconds, as fast as they go (a closed loop: at saturation,
 * latency is mostly the queue); with `pauseMs`, each connection waits that long before each request (wrk only).
 */
export async function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
  wrk: boolean,
  pauseMs?: number,
): Promise<Load> {
  if (wrk) {
    if (pauseMs !== undefined) writeFileSync(PACED_SCRIPT, PACED_LUA);
    const paced = pauseMs === undefined ? [] : ["-s", PACED_SCRIPT];
    const args = [
      "-t1",
      `-c${connections}`,
      `-d${seconds}s`,
      "--latency",
      ...paced,
      ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]),
      url,
      ...(pauseMs === undefined ? [] : ["--", String(pauseMs)]),
    ];
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn("wrk", args);
      let s = "";
      p.stdout.on("data", (d) => (s += d));
      p.stderr.on("data", (d) => (s += d));
      p.on("exit", (code) => (code === 0 ? resolve(s) : reject(new Error(`wrk failed: ${s}`))));
    });
    const pct = (q: string) => {
      const m = new RegExp(`^\\s+${q}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(out);
      return m ? msOf(m[1]!, m[2]!) : NaN;
    };
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
    const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    return {
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
      p50Ms: pct("50"),
      p99Ms: pct("99"),
      requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
      errors: non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
      tool: "wrk -t1",
    };
  }
  if (pauseMs !== undefined) throw new Error("a paced load needs wrk (apt-get install -y wrk)");
  const r = await autocannon({ url, headers, duration: seconds, connections, pipelining: 1 });
  return {
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.non2xx,
    tool: "autocannon",
  };
}

/** The middle one of `xs` ordered by `key` (a round, not a mix of rounds). */
export const medianBy = <T>(xs: T[], key: (x: T) => number): T =>
  [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;
