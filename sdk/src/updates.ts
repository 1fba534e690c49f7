// Keeps cached prompts current: the /api/v1/events stream when it can be had (reconnecting with
// backoff and Last-Event-ID), polling when it cannot. Every timer is unref'd.
import { errorFromResponse, LecternError, LecternNetworkError } from "./errors";
import { unref } from "./http";
import { SseParser } from "./sse";
import type { OpenStream, StreamConnection } from "./stream";

export interface PromptChanged {
  name: string;
  /** null: a new version was saved, which changes no environment. */
  environment: string | null;
  version: number;
  action: string;
  /** The version label that moved (action "label"). */
  label?: string;
}

export interface UpdatesOptions {
  url: string;
  apiKey: string;
  open: OpenStream;
  push: boolean;
  pollIntervalMs: number;
  connectTimeoutMs: number;
  /** The client's clock, read to tell a dead connection from a quiet one. */
  now: () => number;
  onChange(change: PromptChanged): void;
  /** Revalidate everything: a poll tick, or a stream opened without Last-Event-ID (changes may have been missed). */
  onResync(): void;
  onError(error: Error): void;
}

const maxBackoffMs = 30_000;
// Three missed heartbeats (the server sends one every 15 s) mean the connection is dead even if TCP has not noticed.
const idleLimitMs = 45_000;
const failuresBeforePolling = 3;

function parseChange(data: string): PromptChanged | undefined {
  try {
    const d = JSON.parse(data) as Partial<PromptChanged>;
    if (typeof d.name !== "string" || (d.environment !== null && typeof d.environment !== "string")) return undefined;
    const change = {
      name: d.name,
      environment: d.environment,
      version: Number(d.version),
      action: String(d.action ?? ""),
    };
    return typeof d.label === "string" ? { ...change, label: d.label } : change;
  } catch {
    return undefined;
  }
}

export class Updates {
  private started = false;
  private closed = false;
  private conn: StreamConnection | undefined;
  private lastId = "";
  private retryMs = 1_000;
  private failures = 0;
  private lastActivity = 0;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly o: UpdatesOptions) {}

  /** Called when the first prompt is cached: nothing runs for a client that never fetched. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    if (!this.o.push) return this.startPolling();
    this.watchdog = unref(
      setInterval(() => {
        if (this.conn && this.o.now() - this.lastActivity > idleLimitMs) this.conn.close();
      }, idleLimitMs / 3),
    );
    this.run().catch((e: unknown) => this.o.onError(e instanceof Error ? e : new Error(String(e))));
  }

  close(): void {
    this.closed = true;
    this.conn?.close();
    this.stopPolling();
    if (this.watchdog) clearInterval(this.watchdog);
    this.wake?.();
  }

  private startPolling(): void {
    if (this.pollTimer || this.closed || this.o.pollIntervalMs <= 0) return;
    this.pollTimer = unref(setInterval(() => this.o.onResync(), this.o.pollIntervalMs));
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = unref(setTimeout(() => done(), ms));
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const outcome = await this.connectOnce();
      if (outcome === "stop" || this.closed) return;
      // Exponential backoff with jitter after failures; the server's `retry` after a clean end.
      const delay =
        this.failures === 0
          ? this.retryMs
          : Math.min(maxBackoffMs, this.retryMs * 2 ** (this.failures - 1)) * (0.5 + Math.random() / 2);
      await this.sleep(delay);
    }
  }

  private async connectOnce(): Promise<"again" | "stop"> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.o.apiKey}`,
      accept: "text/event-stream",
      "cache-control": "no-cache",
    };
    const resuming = this.lastId !== "";
    if (resuming) headers["last-event-id"] = this.lastId;
    let opened = false;
    try {
      const conn = await this.o.open(this.o.url, headers, this.o.connectTimeoutMs);
      if (this.closed) {
        conn.close();
        return "stop";
      }
      if (conn.status !== 200) throw errorFromResponse(conn.status, await conn.text().catch(() => ""));
      this.conn = conn;
      this.lastActivity = this.o.now();
      const parser = new SseParser({
        onEvent: (ev) => {
          if (ev.id) this.lastId = ev.id;
          // The server could not tell what was missed (too many changes, or its shared store was
          // away): revalidate everything.
          if (ev.event === "reset") return this.o.onResync();
          // An experiment started, reweighted or stopped changes what subjects get, like a deployment.
          if (ev.event !== "prompt.changed" && ev.event !== "experiment.changed") return;
          const change = parseChange(ev.data);
          if (change) this.o.onChange(change);
        },
        onRetry: (ms) => {
          this.retryMs = Math.max(100, ms);
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of conn.body) {
        this.lastActivity = this.o.now();
        if (!opened) {
          // The server listens before it sends its first bytes, so from here on nothing is missed.
          opened = true;
          this.failures = 0;
          this.stopPolling();
          if (!resuming) this.o.onResync();
        }
        parser.push(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
      }
      parser.end();
      return "again";
    } catch (e) {
      if (this.closed) return "stop";
      const err =
        e instanceof LecternError
          ? e
          : new LecternNetworkError(
              `The event stream ${opened ? "was interrupted" : "could not be opened"}: ${e instanceof Error ? e.message : String(e)}`,
              { code: "network_error", cause: e },
            );
      // No events endpoint (an older server, a proxy) or a key that may not use it: polling only.
      if (err instanceof LecternError && err.status !== undefined && [401, 403, 404, 405, 501].includes(err.status)) {
        this.o.onError(
          new LecternError(
            `Push updates are unavailable (${err.message}); polling every ${this.o.pollIntervalMs} ms instead.`,
            { code: err.code, status: err.status, cause: err },
          ),
        );
        this.startPolling();
        return "stop";
      }
      if (!opened) this.failures++;
      if (this.failures >= failuresBeforePolling) this.startPolling();
      this.o.onError(err);
      return "again";
    } finally {
      this.conn = undefined;
    }
  }
}
