import "server-only";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import type { PromptChanged } from "@/lib/announcements";
import type { InvalidationBus } from "@/lib/runtime/bus";
import { changesSince, newestSeq } from "@/lib/runtime/replay";
import { processSingleton } from "../wiring/singleton";

// One SSE connection of GET /api/v1/events, independent of who writes the bytes (Next's
// ReadableStream or Lectern's own server): replay after Last-Event-ID, live changes, heartbeats.

export const HEARTBEAT_MS = 15_000;
const PAGE = 500;
// Beyond this many missed changes a client is better off refetching what it holds: it gets `reset`.
const MAX_REPLAY = 10_000;
/**
 * A client that leaves this much of its stream unread (beyond what the kernel holds) is cut off: it
 * reconnects with Last-Event-ID and is replayed what it missed. Both servers' adapters apply it, so a
 * reader that stopped reading costs a bounded amount of memory, never a growing queue.
 */
export const SSE_MAX_BUFFERED = 256 * 1024;

/**
 * Where a stream writes; `write` returns false when the client is gone or has SSE_MAX_BUFFERED unread. `end` is
 * idempotent. `drain` resolves true once the unread bytes fall below that mark, false if the client goes first;
 * `abort` cuts the connection (an answer that cannot be finished must not look finished).
 */
export type SseSink = { write(chunk: string): boolean; end(): void; drain(): Promise<boolean>; abort(): void };
/** A stream for an adapter to pipe; `finite` ones (an answer in parts) end by themselves and are not cut at shutdown. */
export type EventStream = { open(sink: SseSink): void; close(): void; finite?: boolean };

const frame = (e: PromptChanged) =>
  e.action === "reset"
    ? `event: reset\ndata: {"reason":"changes may have been missed; refetch"}\n\n`
    : `id: ${e.seq ?? ""}\nevent: ${e.action === "experiment" ? "experiment.changed" : "prompt.changed"}\ndata: ${JSON.stringify({ name: e.prompt, environment: e.environment, version: e.version, action: e.action, ...(e.label !== undefined && { label: e.label }) })}\n\n`;
const resetFrame = (id: number, reason: string) => `id: ${id}\nevent: reset\ndata: ${JSON.stringify({ reason })}\n\n`;

// Open streams per API key, on globalThis: Next's route handlers and Lectern's own server are
// separate bundles in one process and must count together.
const openStreams = () => processSingleton("sseStreams", () => new Map<string, number>());

/** Takes one of the key's stream slots or throws rate_limited; the returned function gives it back (once). */
export function acquireStreamSlot(keyId: string, limit: number): () => void {
  const streams = openStreams();
  const open = streams.get(keyId) ?? 0;
  if (open >= limit)
    throw new AppError(
      "rate_limited",
      `This API key already holds ${limit} open event streams, the most one key may hold (LECTERN_SSE_MAX_PER_KEY). Close one, or use another key.`,
      { limit, open },
    );
  streams.set(keyId, open + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (streams.get(keyId) ?? 1) - 1;
    if (n > 0) streams.set(keyId, n);
    else streams.delete(keyId);
  };
}

export function openStreamCount(keyId: string): number {
  return openStreams().get(keyId) ?? 0;
}

export function eventStream(opts: {
  db: Db;
  bus: InvalidationBus;
  projectId: string;
  environments: string[] | null;
  lastId: number | undefined;
  onClose: () => void;
}): EventStream {
  const { db, bus, projectId, environments, lastId } = opts;
  // A key limited to some environments hears only about those (not about unreleased versions).
  const visible = (e: PromptChanged) =>
    !environments || e.action === "reset" || (e.environment !== null && environments.includes(e.environment));
  let closed = false;
  let cleanup = () => {};
  let target: SseSink | undefined;
  // Called when the client goes away, and by the stream itself (slow reader, failed replay, shutdown).
  const close = () => {
    if (closed) return;
    closed = true;
    cleanup();
    opts.onClose();
    target?.end();
  };

  const open = (sink: SseSink) => {
    target = sink;
    const send = (s: string) => {
      // The client went away or stopped reading: stop the heartbeat and the listeners.
      if (!closed && !sink.write(s)) close();
    };
    // Listen first and hold live events while replaying, so nothing falls between the two.
    let replaying = true;
    let sentUpTo = lastId ?? 0;
    const held: PromptChanged[] = [];
    const deliver = (e: PromptChanged) => {
      if (!visible(e)) return;
      if (e.action === "reset") return send(frame(e));
      if (e.seq !== undefined && e.seq <= sentUpTo) return;
      if (e.seq !== undefined) sentUpTo = e.seq;
      send(frame(e));
    };
    const unlisten = bus.listen(projectId, (e) => (replaying ? held.push(e) : deliver(e)));
    const unlistenAll = bus.listen("", (e) => (replaying ? held.push(e) : deliver(e))); // resets reach every project
    const heartbeat = setInterval(() => send(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
    cleanup = () => {
      clearInterval(heartbeat);
      unlisten();
      unlistenAll();
    };
    if (closed) return cleanup();
    send(`retry: 2000\n: connected\n\n`);
    const replay = async () => {
      if (lastId !== undefined) {
        const newest = await newestSeq(db, projectId);
        if (lastId > newest) {
          // An id this server never issued (another database, or a client bug): start from now, and say so.
          sentUpTo = newest;
          send(resetFrame(newest, "Last-Event-ID is newer than any change; refetch"));
        } else {
          for (let replayed = 0; !closed;) {
            const page = await changesSince(db, projectId, sentUpTo, PAGE);
            for (const e of page) deliver(e);
            replayed += page.length;
            if (page.length < PAGE) break;
            if (replayed >= MAX_REPLAY) {
              sentUpTo = newest;
              send(resetFrame(newest, `more than ${MAX_REPLAY} changes were missed; refetch`));
              break;
            }
          }
        }
      }
      replaying = false;
      for (const e of held) deliver(e);
    };
    // A replay that fails (database away) ends the stream; the client reconnects with its Last-Event-ID.
    replay().catch(() => close());
  };
  return { open, close };
}
