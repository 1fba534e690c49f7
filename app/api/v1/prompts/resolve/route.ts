// GET /api/v1/prompts/resolve?name=&environment=&version=&subject=&at= (ETag, 304) and POST (with variables → rendered). Runtime key.
import { NextResponse } from "next/server";
import { peekResolved, renderResolved, resolveBody, resolvedDto, resolvedJson, resolvePrompt, resolveQuery } from "@/lib/runtime/resolve";
import type { Layer } from "@/lib/runtime/cache";
import type { ResolvedPrompt } from "@/lib/runtime/load";
import { withApiKey } from "@/lib/server/api";
import { getRuntime, readyRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

function headers(r: ResolvedPrompt, layer: Layer): Record<string, string> {
  const h: Record<string, string> = { etag: r.etag, "cache-control": "private, no-cache", "x-lectern-cache": layer };
  if (layer === "stale") {
    h["x-lectern-stale"] = "true";
    h.warning = '110 lectern "Response is stale: the database is unreachable"';
  }
  return h;
}

export const GET = withApiKey("runtime", { query: resolveQuery, action: "runtime.resolve" }, async ({ req, db, project, query }) => {
  const cache = (readyRuntime() ?? (await getRuntime())).prompts;
  const hit = peekResolved(cache, project.id, query); // L1 hit: no await at all
  const { resolved, layer } = hit ? { resolved: hit, layer: "l1" as const } : await resolvePrompt({ db, cache }, project.id, query);
  const h = headers(resolved, layer);
  const inm = req.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim().replace(/^W\//, "") === resolved.etag)) return new NextResponse(null, { status: 304, headers: h });
  h["content-type"] = "application/json";
  return new Response(resolvedJson(resolved, query.subject, new Date()), { headers: h });
});

export const POST = withApiKey("runtime", { body: resolveBody, action: "runtime.resolve" }, async ({ db, project, body }) => {
  const { resolved, layer } = await resolvePrompt({ db, cache: (await getRuntime()).prompts }, project.id, body);
  const { rendered, warnings } = renderResolved(resolved, body.variables);
  return NextResponse.json({ ...resolvedDto(resolved, body.subject, new Date()), rendered, warnings }, { headers: headers(resolved, layer) });
});
