import { updateLangfuseLabels } from "@/lib/langfuse/writes";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langfuse";

export const PATCH = route(endpoints.langfuseUpdateLabels, async ({ domain, params, body }) =>
  json(await updateLangfuseLabels(domain, params.name, params.version, body.newLabels)),
);

export const { GET, POST, PUT, DELETE } = otherMethods("PATCH");
