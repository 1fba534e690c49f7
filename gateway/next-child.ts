// The Next process (gateway/next-process.ts starts it): Next's request handler on a private socket that
// only the parent connects to, the job queue, and this process's half of the invalidation link. Every
// answer says how many bus messages had been sent when it was written (BUS_SEQ_HEADER), so the parent
// can hold it until it has applied them: a change made here is served by the parent once its call returns.
import { createServer, type Server, type ServerResponse } from "node:http";
import { markLecternServerInFront } from "../lib/server/wiring/process/front-server";
import { getRuntime } from "../lib/server/wiring/runtime-wiring";
import { runShutdownHooks } from "../lib/server/wiring/process/shutdown";
import { startup } from "../lib/server/wiring/process/startup";
import { withStartupRetries } from "../lib/server/wiring/process/startup-retry";
import type { FromNext, ToNext } from "./next-process";
import { BUS_SEQ_HEADER } from "./forward-to-next";

export async function nextChild(socketPath: string, hostname: string | undefined, port: number) {
  // From the first line: this process lives only while its parent does. Killed, or stopped while this
  // one was still loading Next, the parent closes the IPC channel; without this the Next process kept
  // running (and running the job queue) with no parent, as it ignores SIGTERM (below).
  let server: Server | undefined;
  let ending = false;
  const end = () => {
    if (ending) return;
    ending = true;
    server?.close();
    server?.closeAllConnections();
    void runShutdownHooks(8_000).finally(() => process.exit(0));
  };
  process.on("disconnect", end);
  if (!process.connected) return end();
  let bus: Awaited<ReturnType<typeof getRuntime>>["bus"] | undefined;
  process.on("message", (m: ToNext) => {
    if (m.t === "bus")
      bus?.receiveLinked(m.raw); // nothing is cached before the bus exists
    else if (m.t === "drain") void runShutdownHooks(8_000);
    else if (m.t === "exit") end();
  });
  // Every request comes through the parent, which sets the peer header to the client's address.
  markLecternServerInFront();
  // Signals are the parent's to act on: it drains its connections first, then tells this process to end
  // (a Ctrl-C in a terminal reaches both processes at once).
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => {});
  const tell = (m: FromNext) => process.send?.(m, () => {});

  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  if (ending) return;
  await startup();
  const runtime = await withStartupRetries("reading this installation's id", () => getRuntime());
  bus = runtime.bus;
  let sent = 0;
  bus.link((raw) => {
    sent++;
    tell({ t: "bus", raw });
  });

  server = createServer((req, res) => {
    // Next writes its headers through writeHead, called or implied (a first write, end()).
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      this.setHeader(BUS_SEQ_HEADER, String(sent));
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse["writeHead"];
    void handle(req, res);
  });
  // The parent applies the client-facing timeouts; its idle connections here stay open for reuse.
  server.keepAliveTimeout = 0;
  server.requestTimeout = 0;
  if (ending) return end();
  server.listen(socketPath, () => tell({ t: "ready" }));
}
