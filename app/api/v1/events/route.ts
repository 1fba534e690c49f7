// GET /api/v1/events: Server-Sent Events of `prompt.changed {name, environment, version}` for the key's project,
// with heartbeats and Last-Event-ID resume (every missed change replayed, page by page, or an explicit `reset`). Runtime key.
import { z } from "zod";
import type { PromptChanged } from "@/lib/release/events";
import { countParam } from "@/lib/registry/numbers";
import { changesSince, newestSeq } from "@/lib/runtime/replay";
import { ingestEvents } from "@/lib/experiments/ingest";
import { json, otherMethods, withApiKey } from "@/lib/server/api";

// A batch of 1,000 generation events with their outputs does not fit the API's usual 1 MiB.
const EVENTS_MAX_BODY_BYTES = 8 * 1024 * 1024;
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;
const PAGE = 500;
// Beyond this many missed changes a client is better off refetching what it holds: it gets `reset`.
const MAX_REPLAY = 10_000;
const query = z.object({ lastEventId: countParam("lastEventId", 0, Number.MAX_SAFE_INTEGER).optional() });

const frame = (e: PromptChanged) =>
  e.action === "reset"
    ? `event: reset\ndata: {"reason":"changes may have been missed; refetch"}\n\n`
    : `id: ${e.seq ?? ""}\nevent: ${e.action === "experiment" ? "experiment.changed" : "prompt.changed"}\ndata: ${JSON.stringify({ name: e.prompt, environment: e.environment, version: e.version, action: e.action })}\n\n`;
const resetFrame = (id: number, reason: string) => `id: ${id}\nevent: reset\ndata: ${JSON.stringify({ reason })}\n\n`;

export const GET = withApiKey("runtime", { query, action: "runtime.events" }, async ({ req, db, project, query, environments }) => {
  // A key limited to some environments hears only about those (not about unreleased versions).
  const visible = (e: PromptChanged) => !environments || e.action === "reset" || (e.environment !== null && environments.includes(e.environment));
  const { bus } = await getRuntime();
  const header = req.headers.get("last-event-id");
  const fromHeader = header !== null && /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : undefined;
  const lastId = fromHeader ?? query.lastEventId;
  const encoder = new TextEncoder();
  let cleanup = () => {};

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (s: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(s));
        } catch {
          // The client went away without the abort reaching us: stop the heartbeat and the listener.
          cleanup();
        }
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
      const unlisten = bus.listen(project.id, (e) => (replaying ? held.push(e) : deliver(e)));
      const unlistenAll = bus.listen("", (e) => (replaying ? held.push(e) : deliver(e))); // resets reach every project
      const heartbeat = setInterval(() => send(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
      cleanup = () => {
        closed = true;
        clearInterval(heartbeat);
        unlisten();
        unlistenAll();
      };
      req.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
      send(`retry: 2000\n: connected\n\n`);
      if (lastId !== undefined) {
        const newest = await newestSeq(db, project.id);
        if (lastId > newest) {
          // An id this server never issued (another database, or a client bug): start from now, and say so.
          sentUpTo = newest;
          send(resetFrame(newest, "Last-Event-ID is newer than any change; refetch"));
        } else {
          for (let replayed = 0; ; ) {
            const page = await changesSince(db, project.id, sentUpTo, PAGE);
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
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
});

// POST /api/v1/events {events: [...]}: metric events (exposure, feedback, outcome, generation, metric), up to
// 1,000 per call. Any invalid event → 422 listing each; otherwise 202 {accepted, duplicates} once durable.
export const POST = withApiKey("runtime", { body: z.unknown(), action: "runtime.feedback", maxBodyBytes: EVENTS_MAX_BODY_BYTES }, async ({ db, project, body }) =>
  json(await ingestEvents(db, project.id, body), 202),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
