import "server-only";
import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { assertSafeQuery, assertSafeValue } from "@/lib/input-safety";
import { skillsPathAnswer, type SkillsScope } from "@/lib/skills/answer";
import { publicationBySlug } from "@/lib/skills/publication";
import type { Db } from "@/db/client";
import { getDb, readyDb } from "../wiring/db";
import { authenticateSkillsToken } from "./api-auth";
import { errorResponse } from "./api";
import { parsePathParams, type Endpoint } from "./endpoint";
import { toAppError } from "./errors";

// The wrapper of the skills URLs' routes (endpoints/skills.ts), which take no header: a key's URL, whose token in
// the path is the skills key itself and serves the one environment that key names, and a project's published
// skills URL, which needs no key and serves what the project chose to publish (lib/skills/publication.ts). The path
// is never logged or echoed (it may hold a key), and answers are neither stored nor sent on as a Referer.

const privateHeaders = { "cache-control": "no-store", "referrer-policy": "no-referrer", "x-robots-tag": "noindex" };

/** An answer of a skills URL, with the headers every one of them carries. */
function skillsAnswer(body: BodyInit, contentType: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status: 200, headers: { "content-type": contentType, ...privateHeaders, ...headers } });
}

/** What the URL serves: by its key, or by the project's publication (the same 404 for no project and none). */
async function scopeOf(db: Db, params: Record<string, string>): Promise<SkillsScope> {
  if (params.project !== undefined) {
    const published = await publicationBySlug(db, params.project);
    if (!published) throw new AppError("not_found", "No skills are published at this URL.");
    return published;
  }
  const principal = await authenticateSkillsToken(db, params.token ?? "");
  const environment = principal.environments?.[0];
  if (!environment) throw new AppError("unauthorized", "This skills URL names no environment.");
  return { projectId: principal.projectId, environment };
}

export function skillsRoute<const P extends string, Q, B, R extends { path: string }>(e: Endpoint<P, Q, B, R>) {
  return async (req: NextRequest, args: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    try {
      const raw = await args.params;
      const params = Object.fromEntries(
        Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
      );
      assertSafeValue(params, "path");
      assertSafeQuery(req.nextUrl.searchParams);
      const db = readyDb() ?? (await getDb());
      const scope = await scopeOf(db, params);
      const found = await skillsPathAnswer(db, scope, parsePathParams(e, params).path);
      return skillsAnswer(typeof found.body === "string" ? found.body : Buffer.from(found.body), found.contentType);
    } catch (err) {
      return errorResponse(toAppError(err, `${req.method} ${e.path}`), privateHeaders, e.path);
    }
  };
}
