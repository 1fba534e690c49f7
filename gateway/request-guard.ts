// Requests no Lectern route takes, refused before Next sees them (it answered TRACE with a 500 and a
// stack trace in the log, and an absolute-form target `GET http://evil.example/x HTTP/1.1` with a 308
// to that host). Checked only for requests that are not a runtime hot path: the fast path's own
// endpoint match already needs an origin-form path and GET, HEAD or POST.
import type { IncomingMessage } from "node:http";
import { AppError } from "../lib/errors";
import { errorAnswer, type RuntimeResponse } from "../lib/server/http/runtime-http";

const SERVED = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const served = new Set(SERVED.split(", "));

const NOT_A_PATH = new AppError(
  "invalid_input",
  "The request target must be a path (origin-form, e.g. /api/health); absolute-form and authority-form targets are not served.",
  { field: "target" },
);

/** The answer to a request Lectern does not serve at all, or undefined for an ordinary one. */
export function oddRequest(req: IncomingMessage): RuntimeResponse | undefined {
  // "/" is 47; "*" (OPTIONS *), "http://…" and "host:port" are not paths.
  if ((req.url ?? "").charCodeAt(0) !== 47) return errorAnswer(NOT_A_PATH);
  const method = req.method ?? "";
  if (!served.has(method))
    return errorAnswer(
      new AppError("method_not_allowed", `${method} is not supported by Lectern.`, { allow: SERVED.split(", ") }),
      { allow: SERVED },
    );
  return undefined;
}
