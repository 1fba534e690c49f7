import { createTag } from "@/lib/compat/langsmith/push";
import { listTags } from "@/lib/compat/langsmith/reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langsmith";
import { lsReadDeps, lsWriteCtx } from "@/lib/server/http/langsmith-route";

export const GET = route(endpoints.langSmithListTags, async (ctx) =>
  json(await listTags(await lsReadDeps(ctx), ctx.params.owner, ctx.params.repo)),
);

export const POST = route(endpoints.langSmithCreateTag, async (ctx) =>
  json(await createTag(lsWriteCtx(ctx), ctx.params.owner, ctx.params.repo, ctx.body)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
