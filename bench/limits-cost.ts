// The cost of the connection caps and ingest budgets (docs/security.md) on the runtime hot paths: resolve on an
// L1 hit against bare node:http with the same bytes, and event ingest in batches of 500, against one
// `npm start` on PostgreSQL. Run it in two checkouts (before and after) and compare:
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/limits-cost.ts
// (from another checkout: cd there and run `node_modules/.bin/tsx /path/to/bench/limits-cost.ts`; the
// server started is the build in the current directory).
import { randomBytes } from "node:crypto";
import { createDatabase, freePort, ServerProcess } from "../test/cluster/harness";
import { resolveVsBare } from "./fast-path";
import { ingest } from "./ingest";
import { seedBenchPrompt } from "./one-server";

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);

async function main() {
  const db = await createDatabase();
  const admin = `lk_bench_limits_${randomBytes(12).toString("hex")}`;
  const server = new ServerProcess(await freePort(), {
    DATABASE_URL: db.url,
    LECTERN_BOOTSTRAP_ADMIN_KEY: admin,
    NEXTAUTH_SECRET: "bench-limits-secret-bench-limits-secret",
    LECTERN_DATA_DIR: `/tmp/lectern-bench-limits-${Date.now()}`,
    LECTERN_SEED_DEMO: "false",
  });
  await server.start();
  try {
    const key = await seedBenchPrompt(server, admin, {
      prompt: { name: "bench-prompt", type: "text", template: "Hi {{x}}", variables: [{ name: "x" }] },
    });
    const vs = await resolveVsBare(server.url, key, "/api/v1/prompts/resolve?name=bench-prompt", {
      rounds,
      seconds,
      connections: 32,
    });
    const ing = await ingest(server.url, key, "bench-prompt", 100);
    console.log(
      JSON.stringify(
        {
          cwd: process.cwd(),
          tool: vs.tool,
          resolve: { rps: Math.round(vs.lectern.rps), p50Ms: vs.lectern.p50Ms, p99Ms: vs.lectern.p99Ms },
          bare: { rps: Math.round(vs.bare.rps) },
          ratio: Number(vs.ratio.toFixed(3)),
          paced: vs.paced && { lecternP99Ms: vs.paced.lectern.p99Ms, bareP99Ms: vs.paced.bare.p99Ms },
          ingest: {
            eventsPerSecond: Math.round(ing.eventsPerSecond),
            batchP50Ms: ing.batchMs.p50,
            batchP99Ms: ing.batchMs.p99,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await server.stop();
    await db.drop();
  }
}

void main();
