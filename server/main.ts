// The production server (`npm start`): one node:http listener in front of Next's request handler.
// It answers the runtime hot paths (GET/POST /api/v1/prompts/resolve, GET/POST /api/v1/events) itself,
// through the same core the route handlers call (lib/server/runtime-http.ts), because Next's per-request
// cost is far above Lectern's own work; everything else goes to Next. It also tells the application who
// it is talking to (Next's own server keeps a client's X-Forwarded-For and drops the socket's address),
// and drains connections on shutdown. LECTERN_ROLE=runtime serves only the runtime paths and /api/health,
// without loading Next.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { env } from "../lib/server/env";
import { PEER_HEADER, PEER_HEADER_SET } from "../lib/auth/client-ip";
import { runShutdownHooks } from "../lib/server/shutdown";
import { getRuntime, readyRuntime } from "../lib/server/runtime";
import { startup } from "../lib/server/startup";
import { fastPath, runtimeEndpoint, type FastPath } from "./fast-path";
import { runtimeOnly } from "./runtime-only";

function flag(names: string[]): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

async function main() {
  const config = env();
  const port = Number(flag(["-p", "--port"]) ?? config.PORT);
  const hostname = flag(["-H", "--hostname"]);
  (globalThis as Record<symbol, unknown>)[PEER_HEADER_SET] = true;
  const fast = fastPath();
  // A runtime-only instance never loads Next (server/runtime-only.ts).
  const listener = config.LECTERN_ROLE === "runtime" ? runtimeOnly(fast) : await withNext(fast, hostname, port);
  // The database, migrations and the job queue start before the first request (Next alone would run
  // this instrumentation only at its first request); both share globalThis singletons.
  await startup();
  // The cache and the invalidation bus are ready before the first request, so it can be an L1 hit.
  await getRuntime();
  const server = createServer(listener);
  // Slow clients may not hold a connection open forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[lectern] ${signal}: draining connections, stopping the job queue`);
    // Jobs stop taking work at once; unfinished ones are handed back to the queue for any instance.
    const jobsStopped = runShutdownHooks(8_000);
    fast.draining = true;
    // Event streams end now (clients reconnect elsewhere with Last-Event-ID); requests in flight finish,
    // then exposures recorded by them are written before the process exits.
    fast.closeStreams();
    server.close(() => void Promise.allSettled([jobsStopped, readyRuntime()?.exposures.flush()]).finally(() => process.exit(0)));
    server.closeIdleConnections();
    // In-flight requests get a grace period; long-lived streams (SSE) are cut after it.
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, 10_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  server.listen(port, hostname, () => console.log(`[lectern] listening on http://${hostname ?? "localhost"}:${port}`));
}

/** An ordinary instance: the runtime hot paths here, every other request to Next's handler. */
async function withNext(fast: FastPath, hostname: string | undefined, port: number) {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  return (req: IncomingMessage, res: ServerResponse) => {
    const endpoint = runtimeEndpoint(req);
    if (endpoint) return fast.handle(req, res, endpoint);
    // Overwrite whatever the client sent: only this server knows the peer's address.
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    void handle(req, res);
  };
}

main().catch((e) => {
  console.error(`Lectern cannot start: ${(e as Error).message}`);
  process.exit(1);
});
