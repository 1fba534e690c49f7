import { createRepo } from "@/lib/compat/langsmith/push";
import { listRepos } from "@/lib/compat/langsmith/reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langsmith";
import { lsReadDeps, lsWriteCtx } from "@/lib/server/http/langsmith-route";

export const GET = route(endpoints.langSmithListRepos, async (ctx) =>
  json(await listRepos(await lsReadDeps(ctx), ctx.query)),
);

export const POST = route(endpoints.langSmithCreateRepo, async (ctx) =>
  json(await createRepo(lsWriteCtx(ctx), ctx.body)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
