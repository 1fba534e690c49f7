import { updateRepo } from "@/lib/compat/langsmith/push";
import { readRepo } from "@/lib/compat/langsmith/reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langsmith";
import { lsReadDeps, lsWriteCtx } from "@/lib/server/http/langsmith-route";

export const GET = route(endpoints.langSmithGetRepo, async (ctx) =>
  json(await readRepo(await lsReadDeps(ctx), ctx.params.owner, ctx.params.repo)),
);

export const PATCH = route(endpoints.langSmithUpdateRepo, async (ctx) =>
  json(await updateRepo(lsWriteCtx(ctx), ctx.params.owner, ctx.params.repo, ctx.body)),
);

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
