// LECTERN_ROLE=runtime: an instance that serves the runtime API and /api/health, and nothing else.
// Next is not loaded at all (no UI to serve): less memory, a faster start, and no framework code on
// the process's hot path. The answers are those of an ordinary instance: the same core for resolve,
// events and health, the same 405 for other methods; every other path gets 404 JSON naming the role.
import type { IncomingMessage, ServerResponse } from "node:http";
import { hasValidKeyHeader } from "../lib/server/http/api-auth";
import { AppError } from "../lib/errors";
import { getDb, readyDb } from "../lib/server/wiring/db";
import { methodNotAllowed } from "../lib/server/http/http-errors";
import { healthAnswer } from "../lib/server/wiring/health";
import { errorAnswer } from "../lib/server/http/runtime-http";
import { endpointAt, pathOf, type FastPath } from "./fast-path";
import { oddRequest } from "./request-guard";

const NOT_HERE = new AppError(
  "not_found",
  "This instance serves only the runtime API (LECTERN_ROLE=runtime): /api/v1/prompts/resolve, /api/v1/events and /api/health.",
);

export function runtimeOnly(fast: FastPath) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const odd = oddRequest(req);
    if (odd) return fast.answer(req, res, odd);
    const path = pathOf(req.url);
    const method = req.method ?? "GET";
    const endpoint = endpointAt(path);
    const allowed = endpoint ? ["GET", "POST"] : path === "/api/health" ? ["GET"] : null;
    if (!allowed) return fast.answer(req, res, errorAnswer(NOT_HERE));
    // HEAD is answered as GET without a body, on every path that takes GET.
    if (method !== "HEAD" && !allowed.includes(method)) {
      const refused = methodNotAllowed(method, allowed);
      if (method === "OPTIONS")
        return fast.answer(req, res, { status: 204, headers: { allow: refused.allow }, body: null });
      return fast.answer(req, res, errorAnswer(refused.error, { allow: refused.allow }));
    }
    if (endpoint) return fast.handle(req, res, endpoint);
    // No sessions here (no UI): a valid API key is what lets a caller see the details.
    fast.answer(
      req,
      res,
      healthAnswer(() => hasValidKeyHeader(() => readyDb() ?? getDb(), req.headers.authorization)),
    );
  };
}
