import { createCommit } from "@/lib/compat/langsmith/push";
import { listCommits } from "@/lib/compat/langsmith/reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langsmith";
import { lsReadDeps, lsWriteCtx } from "@/lib/server/http/langsmith-route";

export const GET = route(endpoints.langSmithListCommits, async (ctx) =>
  json(await listCommits(await lsReadDeps(ctx), ctx.params.owner, ctx.params.repo, ctx.query)),
);

export const POST = route(endpoints.langSmithCreateCommit, async (ctx) =>
  json(await createCommit(lsWriteCtx(ctx), ctx.params.owner, ctx.params.repo, ctx.body)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
