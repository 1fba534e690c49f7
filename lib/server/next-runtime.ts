import "server-only";
import type { NextRequest } from "next/server";
import { readLimited } from "./request-input";
import { handleRuntime, type RuntimeEndpoint, type RuntimeRequest, type RuntimeResponse } from "./runtime-http";

// The Next route handlers of the runtime paths: an adapter from NextRequest to the framework-free
// core (runtime-http.ts), for hosts that only run Next. Lectern's own server calls the same core.

function fromNext(req: NextRequest): RuntimeRequest {
  return {
    // Next answers HEAD with the GET handler (then drops the body).
    method: req.method as RuntimeRequest["method"],
    pathname: req.nextUrl.pathname,
    search: req.nextUrl.search.slice(1),
    header: (name) => req.headers.get(name),
    async readBody(limit) {
      return req.body ? readLimited(req.body, limit) : undefined;
    },
  };
}

function toResponse(req: NextRequest, r: RuntimeResponse): Response {
  const { stream } = r;
  if (!stream) return new Response(r.body, { status: r.status, headers: r.headers });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
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
            return true;
          } catch {
            return false; // the client went away without the abort reaching us
          }
        },
        end,
      });
    },
    cancel() {
      stream.close();
    },
  });
  return new Response(body, { status: r.status, headers: r.headers });
}

export function runtimeRoute(endpoint: RuntimeEndpoint) {
  return (req: NextRequest): Response | Promise<Response> => {
    const r = handleRuntime(endpoint, fromNext(req));
    return r instanceof Promise ? r.then((x) => toResponse(req, x)) : toResponse(req, r);
  };
}
