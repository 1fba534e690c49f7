// The production server (`npm start`): one node:http listener in front of Next's request handler.
// It exists so that the application knows who it is talking to — Next's own server keeps a client's
// X-Forwarded-For and drops the socket's address — and so that shutdown drains connections.
// The runtime fast paths (resolve, events) will be answered here too, with the same lib/ functions.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { env } from "../lib/server/env";
import { PEER_HEADER, PEER_HEADER_SET } from "../lib/auth/client-ip";
import { runShutdownHooks } from "../lib/server/shutdown";
import { startup } from "../lib/server/startup";

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

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
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
    server.close(() => void jobsStopped.finally(() => process.exit(0)));
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

main().catch((e) => {
  console.error(`Lectern cannot start: ${(e as Error).message}`);
  process.exit(1);
});
