// The files under a skills URL (endpoints/skills.ts) — a key's URL, whose token in the path is the skills key
// itself and serves the one environment that key names, and a project's published skills URL, which needs no key
// and serves what the project chose to publish (lib/skills/publication.ts) — framework-free: the Next route
// (skills-route.ts) and Lectern's own server (gateway/fast-reads.ts) both answer through it. The path is never
// logged or echoed (it may hold a key), and answers are neither stored nor sent on as a Referer. Each carries a
// strong ETag of its bytes (304 on If-None-Match).
import "server-only";
import { AppError } from "@/lib/errors";
import { assertSafeQuery, assertSafeValue } from "@/lib/input-safety";
import type { RuntimeAnswer } from "@/lib/runtime/answer";
import { skillsPathAnswer, type SkillsScope } from "@/lib/skills/skills-answer";
import { publicationBySlug } from "@/lib/skills/publication";
import type { Db } from "@/db/client";
import { getDb, readyDb } from "../wiring/db";
import { authenticateSkillsToken } from "./api-auth";
import { parsePathParams, type Endpoint } from "./endpoint";
import { toAppError } from "./http-errors";
import { cachedAnswer, readError, withEtag } from "./read-paths";
import { getRuntime, readyRuntime } from "../wiring/runtime-wiring";
import type { RuntimeRequest } from "./runtime-request";

const INDEX = ".well-known/agent-skills/index.json";

export const SKILLS_PRIVATE_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex",
};

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

/** The answer of a path under a skills URL; `params` are the path's, decoded once (a catch-all's joined by '/'). */
export async function answerSkills(
  e: Endpoint<string, unknown, unknown, { path: string }>,
  req: RuntimeRequest,
  params: Record<string, string>,
): Promise<RuntimeAnswer> {
  try {
    assertSafeValue(params, "path");
    assertSafeQuery(new URLSearchParams(req.search));
    const db = readyDb() ?? (await getDb());
    const scope = await scopeOf(db, params);
    const path = parsePathParams(e, params).path;
    if (path === INDEX) {
      // The index is kept in resolve's cache: what drops a project's resolve entries (a promotion, a rollback, a
      // version) drops it too, on every instance.
      const runtime = readyRuntime() ?? (await getRuntime());
      const key = JSON.stringify(["skills-index", scope.environment, scope.names ?? null]);
      const index = await cachedAnswer(runtime, scope.projectId, key, async () => {
        const found = await skillsPathAnswer(db, scope, path);
        return typeof found.body === "string" ? found.body : Buffer.from(found.body).toString("utf8");
      });
      return withEtag(req, index.body, "application/json", SKILLS_PRIVATE_HEADERS, index.etag);
    }
    const found = await skillsPathAnswer(db, scope, path);
    const body = typeof found.body === "string" ? found.body : Buffer.from(found.body);
    return withEtag(req, body, found.contentType, SKILLS_PRIVATE_HEADERS);
  } catch (err) {
    return readError(toAppError(err, `${req.method} ${e.path}`), e.path, SKILLS_PRIVATE_HEADERS);
  }
}
