// Next in a process of its own (an ordinary `npm start` on PostgreSQL; LECTERN_NEXT_PROCESS). A process
// that has loaded Next pays for it on every request, including the ones Next never sees: on Node 20,
// Next's AsyncLocalStorage makes Node run async hooks for every resource of every request, a third of
// what an L1 hit costs. And a page being rendered or a snapshot being imported would hold the event
// loop the runtime API answers on. So this process keeps the runtime paths and forwards everything
// else (gateway/forward-to-next.ts) to Next's request handler in a child process, over a private socket; the
// two relay each other's invalidations (the bus's link), and a dead Next process is started again
// while the runtime API goes on answering.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, type IncomingMessage, type ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import type { InvalidationBus } from "../lib/runtime/bus";
import { forward, type Upstream } from "./forward-to-next";

export const NEXT_CHILD_FLAG = "--lectern-next-child";

/** Messages over the IPC channel, parent → Next process. */
export type ToNext = { t: "bus"; raw: string } | { t: "drain" } | { t: "exit" };
/** Messages over the IPC channel, Next process → parent. */
export type FromNext = { t: "ready" } | { t: "bus"; raw: string };

type Options = {
  /** This bundle, which runs as the Next process when given NEXT_CHILD_FLAG. */
  entry: string;
  hostname: string | undefined;
  port: number;
  bus: InvalidationBus;
  /** Drops this process's L1 caches (the Next process died, or a message it announced never came). */
  forgetCaches: () => void;
  /** Answers a request Next cannot take now (503, the one error shape). */
  unavailable: (req: IncomingMessage, res: ServerResponse) => void;
  log: { info(m: string): void; warn(m: string): void; error(m: string): void };
};

// How long an answer may wait for the invalidations announced before it. The IPC channel delivers them
// in microseconds; this bounds the wait if the Next process died in between (the caches are then dropped).
const BUS_WAIT_MS = 2_000;

/** One Next process: its IPC channel, its socket, and how many bus messages this process applied from it. */
class Generation implements Upstream {
  ready = false;
  received = 0;
  readonly agent = new Agent({ keepAlive: true, maxFreeSockets: 64 });
  private waiters: { n: number; resolve: () => void }[] = [];

  constructor(
    readonly child: ChildProcess,
    readonly socketPath: string,
    private readonly onTimeout: () => void,
  ) {}

  applied(n: number): Promise<void> {
    if (this.received >= n) return Promise.resolve();
    return new Promise((resolve) => {
      const w = { n, resolve };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        this.onTimeout();
        resolve();
      }, BUS_WAIT_MS);
      w.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(w);
    });
  }

  gotMessage() {
    this.received++;
    if (!this.waiters.length) return;
    const due = this.waiters.filter((w) => w.n <= this.received);
    this.waiters = this.waiters.filter((w) => w.n > this.received);
    for (const w of due) w.resolve();
  }

  end() {
    this.ready = false;
    this.agent.destroy();
    for (const w of this.waiters.splice(0)) w.resolve();
  }
}

export class NextProcess {
  private readonly dir = process.platform === "win32" ? "" : mkdtempSync(path.join(os.tmpdir(), "lectern-"));
  private current: Generation | undefined;
  private count = 0;
  private stopping = false;
  private restartDelayMs = 1_000;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: Options) {
    opts.bus.link((raw) => this.send({ t: "bus", raw }));
    // However this process ends (the 10 s grace period of a shutdown included), its socket directory goes.
    if (this.dir) process.once("exit", () => rmSync(this.dir, { recursive: true, force: true }));
  }

  /** Starts Next; resolves once it listens, rejects if the first one exits before (a broken build, a bad setting). */
  start(): Promise<void> {
    return new Promise((resolve, reject) => this.spawn(resolve, reject));
  }

  /** Forwards a request to Next, or answers 503 while no Next process is ready. */
  forward(req: IncomingMessage, res: ServerResponse, body?: Buffer): void {
    const g = this.current;
    if (!g?.ready) return this.opts.unavailable(req, res);
    forward(req, res, g, this.opts.unavailable, body);
  }

  /** Shutdown begins: the Next process stops taking jobs (its requests in flight go on). */
  drain() {
    this.send({ t: "drain" });
  }

  /** Once this process forwards nothing more: the Next process ends; resolves when it exited (or after `timeoutMs`). */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const g = this.current;
    if (g && g.child.exitCode === null && g.child.signalCode === null) {
      const exited = new Promise((r) => g.child.once("exit", r));
      this.send({ t: "exit" });
      const late = setTimeout(() => g.child.kill("SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(late);
    }
  }

  private send(m: ToNext) {
    const child = this.current?.child;
    if (child?.connected) child.send(m, () => {}); // a failed send means it is exiting: it restarts fresh
  }

  private spawn(started?: () => void, failed?: (e: Error) => void) {
    const n = ++this.count;
    const socketPath =
      process.platform === "win32" ? `\\\\.\\pipe\\lectern-${process.pid}-${n}` : path.join(this.dir, `next-${n}.sock`);
    const args = [
      NEXT_CHILD_FLAG,
      socketPath,
      "-p",
      String(this.opts.port),
      ...(this.opts.hostname ? ["-H", this.opts.hostname] : []),
    ];
    // PORT: next.config.mjs derives NEXTAUTH_URL from it when unset.
    // Node's own flags carry over (heap sizes, profiling), except an inspector, whose port is this process's.
    const execArgv = process.execArgv.filter((a) => !a.startsWith("--inspect"));
    const child = fork(this.opts.entry, args, {
      env: { ...process.env, PORT: String(this.opts.port) },
      execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const g = new Generation(child, socketPath, () => {
      this.opts.log.warn("the Next process did not announce a change in time; dropping this process's caches");
      this.opts.forgetCaches();
    });
    this.current = g;
    const since = Date.now();
    child.on("message", (m: FromNext) => {
      if (m.t === "bus") {
        this.opts.bus.receiveLinked(m.raw);
        g.gotMessage();
      } else if (m.t === "ready") {
        g.ready = true;
        started?.();
        if (n > 1) this.opts.log.info("the Next process is back");
      }
    });
    child.once("exit", (code, signal) => {
      const wasReady = g.ready;
      g.end();
      if (this.stopping) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!wasReady && started) return failed?.(new Error(`the Next process exited (${how}) before it was ready`));
      // Whatever it announced last may not have arrived; serve nothing that might be stale.
      this.opts.forgetCaches();
      if (Date.now() - since > 60_000) this.restartDelayMs = 1_000;
      this.opts.log.error(
        `the Next process exited (${how}); the UI and management API answer 503 until it is back (restarting in ${this.restartDelayMs / 1000} s); the runtime API is not affected`,
      );
      this.restartTimer = setTimeout(() => this.spawn(), this.restartDelayMs);
      this.restartDelayMs = Math.min(this.restartDelayMs * 2, 30_000);
    });
  }
}
