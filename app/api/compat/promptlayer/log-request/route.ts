import { logPromptLayerRequest } from "@/lib/compat/promptlayer/tracking";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/promptlayer";
import { plRecordDeps } from "@/lib/server/http/promptlayer-route";

export const POST = route(endpoints.promptLayerLogRequest, async (ctx) =>
  json(await logPromptLayerRequest(plRecordDeps(ctx), ctx.body), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
