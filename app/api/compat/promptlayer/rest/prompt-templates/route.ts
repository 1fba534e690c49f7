import { publishPromptLayerTemplate } from "@/lib/compat/promptlayer/publish";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/promptlayer";

export const POST = route(endpoints.promptLayerPublishTemplate, async ({ domain, body }) =>
  json(await publishPromptLayerTemplate(domain, body), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
