// The bench over HTTP, against two instances of the production build on PostgreSQL + Redis: the
// resolve route against an empty Next route, MCP prompts/get, Pezzo's getPrompt and PromptLayer's templates.get beside
// resolve (mcp.ts, compat-pezzo.ts, compat-promptlayer.ts), then the fast path (run-fast-path.ts), a running
// experiment on the resolve path, what clients see (run-clients.ts), and resolve while OTLP and batch
// resolve are pushed to their limits (run-attack.ts).
import { loadRow } from "./rows";
import { api, freePort, ServerProcess } from "../test/cluster/harness";
import { experimentResolveRatio, seedHttpExperiment } from "./experiments";
import { mcpBeside } from "./mcp";
import { benchAdminKey, benchEnv, seedBenchPrompt } from "./one-server";
import { mcpAgents } from "./mcp-agents";
import { pezzoBeside } from "./compat-pezzo";
import { promptLayerBeside } from "./compat-promptlayer";
import { readsBeside } from "./reads-fast";
import { compare } from "./http";
import { rssMiB } from "./procs";
import type { Report } from "./report";
import { underAttack } from "./run-attack";
import { clients } from "./run-clients";
import { fastPath } from "./run-fast-path";
import { freshPostgres } from "./setup";

/** The two instances and the keys the HTTP sections use. */
export interface Servers {
  a: ServerProcess;
  b: ServerProcess;
  env: Record<string, string>;
  adminKey: string;
  runtimeKey: string;
  quick: boolean;
}

export async function overHttp(report: Report, o: { pg: string; redis: string; quick: boolean }) {
  const { results, rows } = report;
  const { quick, redis: REDIS } = o;
  const srv = await freshPostgres(o.pg);
  const adminKey = benchAdminKey;
  const env = benchEnv(
    { database: srv.url, redis: REDIS, dataDir: "lectern-bench" },
    {
      LECTERN_SSE_MAX_PER_KEY: "5000",
      // The bench's clients are all on 127.0.0.1 (2,000 SSE connections among them).
      LECTERN_MAX_CONNECTIONS_PER_ADDRESS: "10000",
    },
  );
  const a = new ServerProcess(await freePort(), env);
  const b = new ServerProcess(await freePort(), env);
  try {
    await a.start();
    await b.start();
    const runtimeKey = await seedBenchPrompt(a, adminKey, { moreTemplates: ["Hi {{name}}"] });
    const http = await compare(
      a.url,
      runtimeKey,
      "/api/v1/prompts/resolve?name=bench-prompt",
      quick ? 1 : 3,
      quick ? 3 : 8,
      32,
      a.pid,
    );
    results.http = http;
    rows.push(loadRow("HTTP empty Next route (framework floor, autocannon)", http.ping, "—"));
    rows.push(
      loadRow(
        "HTTP resolve, L1 hit (autocannon)",
        http.resolve,
        `ratio ${http.ratio.toFixed(2)} (was ≥ 0.9 of the empty route)`,
      ),
    );
    const cpu = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(0)} µs`);
    rows.push([
      "server CPU per request: empty route → resolve",
      cpu(http.ping.serverCpuUsPerRequest),
      cpu(http.resolve.serverCpuUsPerRequest),
      `ratio ${http.cpuRatio?.toFixed(2) ?? "n/a"} (target ≥ 0.9)`,
    ]);

    const servers: Servers = { a, b, env, adminKey, runtimeKey, quick };
    await mcpBeside(report, servers);
    await mcpAgents(report, servers);
    await pezzoBeside(report, servers);
    await promptLayerBeside(report, servers);
    await readsBeside(report, servers);
    await fastPath(report, servers);

    // A running experiment on the resolve path (rotating subjects on both sides).
    await seedHttpExperiment((m, path, key, body) => api(a, m, path, key, body), adminKey);
    const split = await experimentResolveRatio(a.url, runtimeKey, {
      rounds: quick ? 1 : 3,
      seconds: quick ? 3 : 8,
      connections: 32,
      serverPid: a.pid,
    });
    results.experimentResolve = split;
    rows.push(loadRow("HTTP resolve, L1 hit, no experiment (subject=…)", split.without, "—"));
    rows.push(
      loadRow(
        "HTTP resolve, L1 hit, running experiment",
        split.withExperiment,
        `ratio ${split.ratio.toFixed(2)} (target ≥ 0.95)`,
      ),
    );
    rows.push([
      "server CPU per request: no experiment → running experiment",
      cpu(split.without.serverCpuUsPerRequest),
      cpu(split.withExperiment.serverCpuUsPerRequest),
      `ratio ${split.cpuRatio?.toFixed(2) ?? "n/a"} (target ≥ 0.95)`,
    ]);

    results.serverRssMiB = { server: rssMiB(a.pid), withNext: rssMiB(a.pid, true) };

    await clients(report, servers);
    await underAttack(report, servers);
  } finally {
    await Promise.allSettled([a.stop(), b.stop()]);
    await srv.drop();
  }
}
