import { pullCommit } from "@/lib/compat/langsmith/reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langsmith";
import { lsReadDeps } from "@/lib/server/http/langsmith-route";

export const GET = route(endpoints.langSmithPullCommit, async (ctx) => {
  const { owner, repo, commit } = ctx.params;
  return json(await pullCommit(await lsReadDeps(ctx), owner, repo, commit, ctx.query.include_model === "true"));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
