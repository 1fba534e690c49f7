import { importFromLangSmith } from "@/lib/compat/langsmith/import";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langsmith";
import { outboundFetch } from "@/lib/server/wiring/models-wiring";

export const POST = route(endpoints.importFromLangSmith, async ({ req, domain, body }) =>
  // The caller going away stops the import (between prompts, and every request to LangSmith).
  json(await importFromLangSmith(domain, body, { fetcher: outboundFetch(), signal: req.signal })),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
