import "server-only";
import type { NextRequest } from "next/server";
import type { KeyPrincipal } from "@/lib/auth/api-keys";
import { AppError } from "@/lib/errors";
import { assertSafeQuery, assertSafeValue } from "@/lib/input-safety";
import type { Db } from "@/db/client";
import { getDb, readyDb } from "../wiring/db";
import { authenticateSkillsToken } from "./api-auth";
import { errorResponse } from "./api";
import { parsePathParams, type Endpoint } from "./endpoint";
import { toAppError } from "./errors";

// The wrapper of the skills URL's routes (endpoints/skills.ts): `route` authenticates a header, these a token in
// the path — the skills key itself — and serve the one environment that key names. The path is never logged or
// echoed (it holds the key), and answers are neither stored nor sent on as a Referer.

export type SkillsRouteContext<R> = {
  req: NextRequest;
  db: Db;
  principal: KeyPrincipal;
  environment: string;
  params: R;
};

const privateHeaders = { "cache-control": "no-store", "referrer-policy": "no-referrer", "x-robots-tag": "noindex" };

/** An answer of the skills URL, with the headers every one of them carries. */
export function skillsAnswer(body: BodyInit, contentType: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status: 200, headers: { "content-type": contentType, ...privateHeaders, ...headers } });
}

export function skillsRoute<const P extends string, Q, B, R>(
  e: Endpoint<P, Q, B, R>,
  handler: (ctx: SkillsRouteContext<R>) => Promise<Response>,
) {
  return async (req: NextRequest, args: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    try {
      const raw = await args.params;
      const params = Object.fromEntries(
        Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
      );
      assertSafeValue(params, "path");
      assertSafeQuery(req.nextUrl.searchParams);
      const db = readyDb() ?? (await getDb());
      const principal = await authenticateSkillsToken(db, params.token ?? "");
      const environment = principal.environments?.[0];
      if (!environment) throw new AppError("unauthorized", "This skills URL names no environment.");
      return await handler({ req, db, principal, environment, params: parsePathParams(e, params) });
    } catch (err) {
      const res = errorResponse(toAppError(err, `${req.method} ${e.path}`), privateHeaders, e.path);
      return res;
    }
  };
}
