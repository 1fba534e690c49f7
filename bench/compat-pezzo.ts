// Pezzo's getPrompt (GET /api/compat/pezzo/api/prompts/v2/deployment) beside resolve (GET
// /api/v1/prompts/resolve) of the same prompt on the same instance, both L1 hits: what the compatible read costs
// over resolve's path (the reshaping is kept beside the cached entry; the route is a Next route handler, while
// resolve is answered by Lectern's own server). Rounds alternate so drift in machine speed hits both; the median
// round of each is kept. `npm run bench` runs it among the HTTP rows; `npx tsx bench/compat-pezzo.ts [--quick]`
// runs it alone on one fresh instance (PostgreSQL and Redis from TEST_DATABASE_URL / TEST_REDIS_URL).
import { freePort, ServerProcess } from "../test/cluster/harness";
import { load, type HttpResult } from "./http";
import { benchAdminKey, benchEnv, seedBenchPrompt } from "./one-server";
import { table, type Report } from "./report";
import type { Servers } from "./run-http";
import { freshPostgres } from "./setup";

type Result = HttpResult;
const get = (url: string, headers: Record<string, string>, seconds: number, pid?: number) =>
  load(url, headers, seconds, 32, pid);

export async function pezzoBeside(
  { results, rows }: Report,
  { a, runtimeKey, quick }: Pick<Servers, "a" | "runtimeKey" | "quick">,
) {
  const seconds = quick ? 3 : 8;
  const resolve = () =>
    get(
      `${a.url}/api/v1/prompts/resolve?name=bench-prompt&environment=production`,
      { authorization: `Bearer ${runtimeKey}` },
      seconds,
      a.pid,
    );
  const pezzo = () =>
    get(
      `${a.url}/api/compat/pezzo/api/prompts/v2/deployment?name=bench-prompt&environmentName=Production`,
      { "x-pezzo-api-key": runtimeKey },
      seconds,
      a.pid,
    );
  // Next's own floor on this instance: an empty route handler, reached the way /api/compat/pezzo is.
  const ping = () => get(`${a.url}/api/ping`, {}, seconds, a.pid);
  await resolve(); // warm-up, each
  await pezzo();
  await ping();
  const r: Result[] = [];
  const p: Result[] = [];
  const n: Result[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    r.push(await resolve());
    p.push(await pezzo());
    n.push(await ping());
  }
  const median = (xs: Result[]) => [...xs].sort((x, y) => x.rps - y.rps)[Math.floor(xs.length / 2)]!;
  const out = { resolve: median(r), pezzoGet: median(p), nextFloor: median(n) };
  results.compatPezzo = out;
  const cpu = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(0)} µs CPU`);
  const row = (name: string, x: Result, note: string) =>
    rows.push([
      name,
      `${Math.round(x.rps)} req/s`,
      `p50 ${x.p50Ms} ms · p99 ${x.p99Ms} ms · ${cpu(x.serverCpuUsPerRequest)}`,
      note,
    ]);
  row("HTTP empty Next route (beside Pezzo's getPrompt)", out.nextFloor, "—");
  row(
    "HTTP resolve GET, L1 hit (beside Pezzo's getPrompt)",
    out.resolve,
    `non-2xx ${out.resolve.non2xx + out.resolve.errors}`,
  );
  row(
    "Pezzo getPrompt (same prompt), L1 hit",
    out.pezzoGet,
    `ratio ${(out.pezzoGet.rps / out.resolve.rps).toFixed(2)} of resolve · non-2xx ${out.pezzoGet.non2xx + out.pezzoGet.errors}`,
  );
}

/** Alone: one fresh instance, the bench prompt, the two rows printed. */
async function main() {
  const quick = process.argv.includes("--quick");
  const srv = await freshPostgres(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const adminKey = benchAdminKey;
  const a = new ServerProcess(
    await freePort(),
    benchEnv({
      database: srv.url,
      redis: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
      dataDir: "lectern-bench",
    }),
  );
  try {
    await a.start();
    const runtimeKey = await seedBenchPrompt(a, adminKey);
    const report: Report = { results: {}, rows: [] };
    await pezzoBeside(report, { a, runtimeKey, quick });
    console.log(table(report.rows));
  } finally {
    await a.stop();
    await srv.drop();
  }
}

if (process.argv[1]?.endsWith("compat-pezzo.ts")) void main();
