// The error answers of each operation in the OpenAPI document (openapi.ts): the codes an endpoint can answer,
// computed from its declaration — what the route wrapper does with it (authenticate, check the scope and the
// action, parse the path, query and body, limit the body) and what every request can meet (a connection cap, the
// database away) — and the codes its operation adds, listed on the declaration (`errors`). Each status answers the
// path's error shape: Lectern's, or a compatible system's (errorShapeFor, lib/errors.ts).
import "server-only";
import { errorShapeFor, errorStatus, type ErrorCode } from "@/lib/errors";
import { permissions } from "@/lib/auth/permissions";
import type { Endpoint } from "../endpoint";

/** What each code means to a caller, as each error response's description says it. */
const meaning: Record<ErrorCode, string> = {
  invalid_input:
    "The request was refused as sent: a path or query value, or the body (`details.field` names it). Nothing changed.",
  unauthorized: "No API key, or one that is unknown or revoked.",
  forbidden:
    "The key may not do this: an admin endpoint called with a runtime key, a role without the permission, or an environment the key may not read.",
  not_found: "What the request names does not exist in the key's project.",
  not_deployed: "The environment serves no version of the prompt.",
  method_not_allowed: "The path does not take this method (the Allow header lists those it takes).",
  conflict:
    "It conflicts with what is there: a name already taken, a change made since it was read, a state that does not allow it.",
  gate_failed: "A release rule refused it: an evaluation gate the environment requires failed or has not run.",
  rolled_back: "The version was rolled back from this environment; releasing it again needs confirmRolledBack.",
  plan_unmet: "The release plan is not met: `details` lists each missing step.",
  experiment_running:
    "An experiment or rollout runs on the environment; it decides what is served there until it ends.",
  payload_too_large: "The body is larger than this endpoint takes (`details.limit`, in bytes).",
  unprocessable: "Well-formed, but it cannot be applied; the message says why.",
  missing_variables: "Rendering needs variables that were not sent (`details.missing`).",
  invalid_variables:
    "A variable's value does not fit its declared type or schema (`details.invalid`: name, expected, got; path and problem for a schema).",
  rate_limited:
    "Too many requests, streams or connections from this key or address: try again after Retry-After seconds.",
  internal: "An unexpected failure; the message holds a reference to the server's log.",
  unavailable: "The database is unreachable, the server is at a limit or restarting: try again shortly.",
};

const title: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  422: "Unprocessable",
  429: "Too many requests",
  500: "Internal error",
  503: "Unavailable",
};

/** An action that changes something (one the permission table gives an editor or more): it can conflict. */
const changes = (e: Endpoint) =>
  e.method !== "GET" && e.permission !== undefined && e.permission in permissions && !e.permission.endsWith(".read");

/** The codes the route wrapper and the server can answer this endpoint with, from its declaration alone. */
function wrapperCodes(e: Endpoint): ErrorCode[] {
  const codes: ErrorCode[] = ["invalid_input", "unauthorized"]; // every path and query is checked, every key
  if (e.scope !== "skills") codes.push("forbidden"); // a skills key opens its URL (the path's token) only
  if (/\{\w+\}/.test(e.path)) codes.push("not_found");
  if (changes(e)) codes.push("conflict", "unprocessable");
  if (e.body || e.bodyTypes) codes.push("payload_too_large");
  codes.push("rate_limited", "internal", "unavailable");
  return codes;
}

/** Every code the endpoint can answer, in the order of the code table. */
export function errorCodesOf(e: Endpoint): ErrorCode[] {
  const codes = new Set([...wrapperCodes(e), ...(e.errors ?? [])]);
  return (Object.keys(errorStatus) as ErrorCode[]).filter((c) => codes.has(c));
}

const retryAfter = {
  "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer", minimum: 0 } },
};

/** The operation's error responses, one per status, each naming its codes and referring to the path's shape. */
export function errorResponses(e: Endpoint): Record<string, object> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(e))
    byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  const schema = { $ref: `#/components/schemas/${errorShapeFor(e.path).name}` };
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: [`${title[status]}.`, ...codes.map((c) => `\`${c}\`: ${meaning[c]}`)].join("\n\n"),
        ...(status === 429 ? { headers: retryAfter } : {}),
        content: { "application/json": { schema } },
      },
    ]),
  );
}
