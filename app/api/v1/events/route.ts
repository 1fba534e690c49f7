// GET /api/v1/events: Server-Sent Events of `prompt.changed {name, environment, version}` for the key's project,
// with heartbeats and Last-Event-ID resume. Runtime key.
import { z } from "zod";
import type { PromptChanged } from "@/lib/release/events";
import { changesSince } from "@/lib/runtime/replay";
import { withApiKey } from "@/lib/server/api";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;
const query = z.object({ lastEventId: z.coerce.number().int().min(0).optional() });

const frame = (e: PromptChanged) =>
  `id: ${e.seq ?? ""}\nevent: prompt.changed\ndata: ${JSON.stringify({ name: e.prompt, environment: e.environment, version: e.version, action: e.action })}\n\n`;

export const GET = withApiKey("runtime", { query, action: "runtime.events" }, async ({ req, db, project, query }) => {
  const { bus } = await getRuntime();
  const header = Number(req.headers.get("last-event-id"));
  const lastId = Number.isFinite(header) && header > 0 ? header : query.lastEventId;
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
        if (e.seq !== undefined && e.seq <= sentUpTo) return;
        if (e.seq !== undefined) sentUpTo = e.seq;
        send(frame(e));
      };
      const unlisten = bus.listen(project.id, (e) => (replaying ? held.push(e) : deliver(e)));
      const heartbeat = setInterval(() => send(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
      cleanup = () => {
        closed = true;
        clearInterval(heartbeat);
        unlisten();
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
      if (lastId !== undefined) for (const e of await changesSince(db, project.id, lastId)) deliver(e);
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
