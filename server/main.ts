// The production server (`npm start`): one node:http listener in front of Next's request handler.
// It answers the runtime hot paths (GET/POST /api/v1/prompts/resolve, GET/POST /api/v1/events) itself,
// through the same core the route handlers call (lib/server/runtime-http.ts), because Next's per-request
// cost is far above Lectern's own work; everything else goes to Next. It also tells the application who
// it is talking to (Next's own server keeps a client's X-Forwarded-For and drops the socket's address),
// and drains connections on shutdown. LECTERN_ROLE=runtime serves only the runtime paths and /api/health.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { env } from "../lib/server/env";
import { PEER_HEADER, PEER_HEADER_SET } from "../lib/auth/client-ip";
import { runShutdownHooks } from "../lib/server/shutdown";
import { getRuntime, readyRuntime } from "../lib/server/runtime";
import { startup } from "../lib/server/startup";
import { fastPath, runtimeEndpoint } from "./fast-path";

const RUNTIME_ONLY_BODY = JSON.stringify({
  error: { code: "not_found", message: "This instance serves only the runtime API (LECTERN_ROLE=runtime): /api/v1/prompts/resolve, /api/v1/events and /api/health." },
});

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
  const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Next runs instrumentation (the same startup) only at the first request in production; the
  // database, migrations and the job queue should not wait for traffic. Both share globalThis singletons.
  await startup();
  // The cache and the invalidation bus are ready before the first request, so it can be an L1 hit.
  await getRuntime();
  const runtimeOnly = config.LECTERN_ROLE === "runtime";
  const fast = fastPath();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const endpoint = runtimeEndpoint(req);
    if (endpoint) return fast.handle(req, res, endpoint);
    if (runtimeOnly && !isRuntimeOnlyPath(req.url ?? "")) {
      res.writeHead(404, { "content-type": "application/json", "x-content-type-options": "nosniff" });
      res.end(RUNTIME_ONLY_BODY);
      return;
    }
    // Overwrite whatever the client sent: only this server knows the peer's address.
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    void handle(req, res);
  });
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

// The paths other than resolve and events that a runtime-only instance still serves (Next answers them).
function isRuntimeOnlyPath(url: string): boolean {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  return path === "/api/health" || path === "/api/v1/prompts/resolve" || path === "/api/v1/events";
}

main().catch((e) => {
  console.error(`Lectern cannot start: ${(e as Error).message}`);
  process.exit(1);
});
