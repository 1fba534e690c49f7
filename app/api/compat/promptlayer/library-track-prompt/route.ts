import { trackPromptLayerPrompt } from "@/lib/compat/promptlayer/tracking";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/promptlayer";
import { plRecordDeps } from "@/lib/server/http/promptlayer-route";

export const POST = route(endpoints.promptLayerTrackPrompt, async (ctx) =>
  json(await trackPromptLayerPrompt(plRecordDeps(ctx), ctx.body)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
