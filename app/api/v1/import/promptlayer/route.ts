import { importFromPromptLayer } from "@/lib/compat/promptlayer/import";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/promptlayer";
import { outboundFetch } from "@/lib/server/wiring/models-wiring";

export const POST = route(endpoints.importFromPromptLayer, async ({ req, domain, body }) =>
  // The caller going away stops the import (between prompts, and every request to PromptLayer).
  json(await importFromPromptLayer(domain, body, { fetcher: outboundFetch(), signal: req.signal })),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
