// What the surfaces table tests share (release-surfaces, review-surfaces; docs/decisions/one-answer-per-operation.md):
// a request to a route handler, the params Next hands it, and what a prompt's history holds, to compare what each
// surface wrote; and the route file serving an endpoint, called as a key. No mocks here: each test file keeps its own
// vi.mock calls.
import { readdirSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";

/** A JSON request to a route handler, authenticated by `auth` (a Bearer key or Langfuse's Basic pair). */
export const request = (path: string, method: string, auth: string, body: unknown) =>
  new NextRequest(`http://localhost${path}`, {
    method,
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** A route handler's second argument: its path's params, as Next passes them (a promise). */
export const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });

/** What a surface answered: its status, what it did (or the error's code), and the version it names, if any. */
export type Answer = { status: number; outcome: string; version?: number };

/** What a prompt's history holds (zeros for a prompt that does not exist), and the project's audit rows. */
export type PromptState = {
  versions: number;
  deployments: number;
  pendingReviews: number;
  decidedReviews: number;
  openDrafts: number;
  rollouts: number;
  audits: number;
};

export async function promptState(db: Db, projectId: string, name: string): Promise<PromptState> {
  const [row] = await queryRows<Omit<PromptState, "audits">>(
    db,
    sql`select (select count(*)::int from prompt_versions v where v.prompt_id = p.id) as versions,
               (select count(*)::int from deployments d where d.prompt_id = p.id) as deployments,
               (select count(*)::int from review_requests r
                 where r.prompt_id = p.id and r.status = 'pending') as "pendingReviews",
               (select count(*)::int from review_requests r
                 where r.prompt_id = p.id and r.status in ('approved', 'rejected')) as "decidedReviews",
               (select count(*)::int from drafts dr where dr.prompt_id = p.id and dr.closed_at is null) as "openDrafts",
               (select count(*)::int from experiments e where e.prompt_id = p.id) as rollouts
        from prompts p where p.project_id = ${projectId} and p.name = ${name}`,
  );
  const [audit] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from audit_log where project_id = ${projectId}`,
  );
  const none = { versions: 0, deployments: 0, pendingReviews: 0, decidedReviews: 0, openDrafts: 0, rollouts: 0 };
  return { ...(row ?? none), audits: audit!.n };
}

/** What changed from `before` to `after`, keeping only what did. */
export function written(before: PromptState, after: PromptState): Partial<PromptState> {
  const keys = Object.keys(after) as (keyof PromptState)[];
  return Object.fromEntries(keys.map((k) => [k, after[k] - before[k]]).filter(([, d]) => d !== 0));
}

/** The repository's root, to read or import the app's files by their path from it. */
export const repoRoot = path.resolve(import.meta.dirname, "../../..");

/** Every route handler's file under app/api, as a path from the repository's root. */
export const routeFiles = (function walk(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.posix.join(dir, e.name)) : e.name === "route.ts" ? [path.posix.join(dir, e.name)] : [],
  );
})("app/api");

/** The route file serving an endpoint: /api/v1/prompts/{name}/deployments → app/api/v1/prompts/[name]/deployments. */
export const routeFileOf = (p: string) =>
  routeFiles.find(
    (f) =>
      "/" +
        path.posix
          .dirname(f)
          .replace(/^app\//, "")
          .replace(/\[(?:\.\.\.)?(\w+)\]/g, "{$1}") ===
      p,
  );

type Handler = (req: NextRequest, args: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls the handler serving `e` with "x" for every path param and an empty JSON body (none for GET and DELETE). */
export async function callEndpoint(e: { method: string; path: string }, auth: string) {
  const file = routeFileOf(e.path);
  if (!file) throw new Error(`no route file serves ${e.path}`);
  const mod = (await import(path.join(repoRoot, file))) as Record<string, Handler>;
  const pathParams = Object.fromEntries([...e.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, "x"]));
  const req = new NextRequest(`http://localhost${e.path.replace(/\{(\w+)\}/g, "x")}`, {
    method: e.method,
    headers: { authorization: auth, "content-type": "application/json" },
    body: e.method === "GET" || e.method === "DELETE" ? undefined : "{}",
  });
  const res = await mod[e.method]!(req, params(pathParams));
  return { status: res.status, body: (await res.json()) as { error?: { code: string }; message?: string } };
}
