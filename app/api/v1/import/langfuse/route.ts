import { importFromLangfuse } from "@/lib/langfuse/import";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langfuse-import";
import { outboundFetch } from "@/lib/server/wiring/models-wiring";

export const POST = route(endpoints.importFromLangfuse, async ({ req, domain, body }) =>
  json(
    await importFromLangfuse(domain, body, {
      fetcher: outboundFetch(),
      dryRun: body.dryRun,
      folder: body.folder,
      // The caller going away stops the import (between prompts, and every request to Langfuse).
      signal: req.signal,
    }),
  ),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
