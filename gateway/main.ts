// The production server (`npm start`): one node:http listener in front of Next's request handler.
// It answers the runtime hot paths (GET/POST /api/v1/prompts/resolve, GET/POST /api/v1/events) itself,
// through the same core the route handlers call (lib/server/http/runtime-http.ts), because Next's per-request
// cost is far above Lectern's own work; everything else goes to Next — in a process of its own on
// PostgreSQL (gateway/next-process.ts), in this one on PGlite. It also tells the application who it is
// talking to (Next's own server keeps a client's X-Forwarded-For and drops the socket's address), and
// drains connections on shutdown. LECTERN_ROLE=runtime serves only the runtime paths and /api/health,
// without loading Next.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { env } from "../lib/server/wiring/env";
import { PEER_HEADER } from "../lib/auth/client-ip";
import { openUrl } from "../lib/listen.mjs";
import { markLecternServerInFront } from "../lib/server/wiring/process/front-server";
import { AppError } from "../lib/errors";
import { log } from "../lib/server/wiring/log";
import { nextInOwnProcess } from "../lib/server/wiring/parse-env";
import { runShutdownHooks } from "../lib/server/wiring/process/shutdown";
import { writeServerFile } from "../lib/server/wiring/process/server-file";
import { getRuntime, readyRuntime } from "../lib/server/wiring/runtime-wiring";
import { errorAnswer } from "../lib/server/http/runtime-http";
import { setOtlpDecodeWorker } from "../lib/ingest/otlp-decode-thread";
import { startup } from "../lib/server/wiring/process/startup";
import { errorChain, withStartupRetries } from "../lib/server/wiring/process/startup-retry";
import { fastPath, runtimeEndpoint, type FastPath } from "./fast-path";
import { fastRead } from "./fast-reads";
import { nextChild } from "./next-child";
import { NEXT_CHILD_FLAG, NextProcess } from "./next-process";
import { runtimeOnly } from "./runtime-only";
import { limitConnections } from "./connection-limits";
import { isMcpPost, mcpPath } from "./mcp-path";
import { oddRequest } from "./request-guard";

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
  const hostname = flag(["-H", "--hostname"]) ?? config.HOST;
  const childSocket = flag([NEXT_CHILD_FLAG]);
  if (childSocket) return nextChild(childSocket, hostname, port);
  markLecternServerInFront();
  // OTLP exports are decoded on a worker thread (its bundle sits beside this one), not on the thread that
  // answers resolve; run from source, there is no bundle and they are decoded inline.
  setOtlpDecodeWorker(fileURLToPath(new URL("./lectern-otlp-worker.mjs", import.meta.url)));
  const fast = fastPath();
  const separate = nextInOwnProcess(config);
  // A runtime-only instance never loads Next (gateway/runtime-only.ts); nor does this process when Next
  // runs in its own, started below once the database is migrated.
  const inProcess =
    config.LECTERN_ROLE === "runtime" ? runtimeOnly(fast) : separate ? undefined : await withNext(fast, hostname, port);
  // The database, migrations and the job queue start before the first request (Next alone would run
  // this instrumentation only at its first request); both share globalThis singletons. With Next in
  // its own process, that process runs the job queue.
  await startup({ jobs: !separate });
  // The cache and the invalidation bus are ready before the first request, so it can be an L1 hit.
  const runtime = await withStartupRetries("reading this installation's id", () => getRuntime());
  let nextProcess: NextProcess | undefined;
  // A signal while the Next process starts: it is told to end (and ends by itself if this process is
  // killed instead); the listener below replaces these once the server is up.
  const early = (signal: string) => {
    console.log(`[lectern] ${signal} while starting: stopping`);
    void Promise.allSettled([nextProcess?.stop(), runShutdownHooks(8_000)]).finally(() => process.exit(0));
  };
  const onEarlySignal = { SIGTERM: () => early("SIGTERM"), SIGINT: () => early("SIGINT") };
  process.once("SIGTERM", onEarlySignal.SIGTERM);
  process.once("SIGINT", onEarlySignal.SIGINT);
  if (separate) {
    nextProcess = new NextProcess({
      entry: fileURLToPath(import.meta.url),
      hostname,
      port,
      bus: runtime.bus,
      forgetCaches: () => {
        runtime.prompts.invalidateAllLocal();
        runtime.keys.invalidateAllLocal();
      },
      unavailable: (req, res) => fast.answer(req, res, errorAnswer(NEXT_RESTARTING, { "retry-after": "5" })),
      log,
    });
    await nextProcess.start();
  }
  const listener = inProcess ?? separateNext(fast, nextProcess!);
  // Slow clients may not hold a connection open forever: headers within 20 s, the whole request
  // within 60 s. Node checks these on an interval (30 s by default, which made 20 s into 30–50 s):
  // every second here.
  const server = createServer({ connectionsCheckingInterval: 1000 }, listener);
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  limitConnections(server, {
    max: config.LECTERN_MAX_CONNECTIONS,
    perAddress: config.LECTERN_MAX_CONNECTIONS_PER_ADDRESS,
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[lectern] ${signal}: draining connections, stopping the job queue`);
    // Jobs stop taking work at once; unfinished ones are handed back to the queue for any instance.
    const jobsStopped = runShutdownHooks(8_000);
    nextProcess?.drain();
    fast.draining = true;
    // Event streams end now (clients reconnect elsewhere with Last-Event-ID); requests in flight finish
    // (Next's included), then the Next process ends and the exposures recorded by them are written.
    fast.closeStreams();
    server.close(
      () =>
        void Promise.allSettled([jobsStopped, nextProcess?.stop(), readyRuntime()?.exposures.flush()]).finally(() =>
          process.exit(0),
        ),
    );
    server.closeIdleConnections();
    // In-flight requests get a grace period; long-lived streams (SSE) are cut after it.
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, 10_000).unref();
  };
  process.off("SIGTERM", onEarlySignal.SIGTERM);
  process.off("SIGINT", onEarlySignal.SIGINT);
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  server.listen(port, hostname, () => {
    const url = openUrl(hostname, port);
    const only = ["127.0.0.1", "::1", "localhost"].includes(hostname)
      ? " (this machine only; HOST=0.0.0.0 opens it to the network)"
      : "";
    console.log(`[lectern] listening on ${hostname}:${port}: open ${url}${only}`);
    // For the commands run beside the server (demo traffic, password reset links): where it listens.
    writeServerFile(config.LECTERN_DATA_DIR, url);
  });
}

const NEXT_RESTARTING = new AppError(
  "unavailable",
  "The UI and management API are restarting; try again in a few seconds. The runtime API (resolve, events) is not affected.",
);

/** An ordinary instance with Next in its own process: the runtime hot paths here, every other request forwarded to it. */
function separateNext(fast: FastPath, next: NextProcess) {
  // MCP messages: an agent's loop of calls answered here (gateway/mcp-path.ts), the rest by Next's SDK path.
  const mcp = mcpPath(fast, (req, res, body) => next.forward(req, res, body));
  return (req: IncomingMessage, res: ServerResponse) => {
    const endpoint = runtimeEndpoint(req);
    if (endpoint) return fast.handle(req, res, endpoint);
    if (isMcpPost(req) && !oddRequest(req)) return mcp(req, res);
    const odd = oddRequest(req);
    if (odd) return fast.answer(req, res, odd);
    const read = fastRead(req);
    if (read) return fast.answer(req, res, read);
    if (fast.draining) res.shouldKeepAlive = false;
    next.forward(req, res);
  };
}

/** An ordinary instance with Next in this process (PGlite, or LECTERN_NEXT_PROCESS=same): the runtime hot paths here, every other request to Next's handler. */
async function withNext(fast: FastPath, hostname: string | undefined, port: number) {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  return (req: IncomingMessage, res: ServerResponse) => {
    const endpoint = runtimeEndpoint(req);
    if (endpoint) return fast.handle(req, res, endpoint);
    const odd = oddRequest(req);
    if (odd) return fast.answer(req, res, odd);
    const read = fastRead(req);
    if (read) return fast.answer(req, res, read);
    // Overwrite whatever the client sent: only this server knows the peer's address.
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    if (fast.draining) res.shouldKeepAlive = false;
    void handle(req, res);
  };
}

// Output nobody reads any more (the terminal or pipe it went to was closed) is dropped. Unhandled, the
// EPIPE was reported on stderr, which failed the same way, for ever: a server left behind spun a core.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });

main().catch((e) => {
  console.error(`Lectern cannot start: ${errorChain(e)}`);
  process.exit(1);
});
