import "server-only";
import type { NextRequest } from "next/server";
import type { Endpoint } from "./endpoint";
import { SSE_MAX_BUFFERED } from "./event-stream";
import { fromNext } from "./runtime-request";
import { handleRuntime, RUNTIME_PATHS, type RuntimeResponse } from "./runtime-http";

// The Next route handlers of the runtime paths: an adapter from NextRequest to the framework-free
// core (runtime-http.ts), for hosts that only run Next. Lectern's own server calls the same core.

const headersOf = (r: RuntimeResponse) => (r.etag === undefined ? r.headers : { ...r.headers, etag: r.etag });

/** A core answer as a web Response; an event stream becomes its body (exported for its tests). */
export function toResponse(req: Pick<Request, "signal">, r: RuntimeResponse): Response {
  const { stream } = r;
  if (!stream) return new Response(r.body, { status: r.status, headers: headersOf(r) });
  const encoder = new TextEncoder();
  // Who waits for the reader: resolved true when Next pulls (the queue fell below the mark), false when it ends.
  let waiting: ((ok: boolean) => void) | undefined;
  const wake = (ok: boolean) => {
    waiting?.(ok);
    waiting = undefined;
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          wake(false);
          try {
            controller.close();
          } catch {
            /* already closed */
          }
        };
        req.signal.addEventListener("abort", () => {
          stream.close();
          end();
        });
        stream.open({
          write(chunk) {
            if (ended) return false;
            try {
              controller.enqueue(encoder.encode(chunk));
            } catch {
              return false; // the client went away without the abort reaching us
            }
            // Next writes the queue to the socket as the client reads; a reader that stopped reading
            // leaves it full, and is cut off rather than queued for without end.
            return (controller.desiredSize ?? 0) > 0;
          },
          end,
          drain() {
            if (ended) return Promise.resolve(false);
            if ((controller.desiredSize ?? 0) > 0) return Promise.resolve(true);
            return new Promise((resolve) => (waiting = resolve));
          },
          abort() {
            if (ended) return;
            ended = true;
            wake(false);
            controller.error(new Error("the answer could not be finished"));
          },
        });
      },
      pull() {
        wake(true);
      },
      cancel() {
        wake(false);
        stream.close();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: SSE_MAX_BUFFERED }),
  );
  return new Response(body, { status: r.status, headers: headersOf(r) });
}

/**
 * The handler of a runtime endpoint's declaration (endpoints/runtime.ts): its path names the core's endpoint
 * (RUNTIME_PATHS), which authenticates, checks the action, parses and answers, as on Lectern's own server.
 */
export function runtimeRoute<P extends keyof typeof RUNTIME_PATHS, Q, B>(declaration: Endpoint<P, Q, B>) {
  const endpoint = RUNTIME_PATHS[declaration.path];
  if (!endpoint) throw new Error(`${declaration.path} is not a runtime path (runtime-http.ts, RUNTIME_PATHS)`);
  return (req: NextRequest): Response | Promise<Response> => {
    const r = handleRuntime(endpoint, fromNext(req));
    return r instanceof Promise ? r.then((x) => toResponse(req, x)) : toResponse(req, r);
  };
}
