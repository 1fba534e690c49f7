// POST /api/v1/import/langfuse {url, publicKey, secretKey, dryRun?, folder?}: copies a Langfuse project's prompts into this project (admin key).
import { importLangfuse, importLangfuseInput } from "@/lib/import/langfuse";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";
import { outboundFetch } from "@/lib/server/wiring/models";

export const POST = withApiKey(
  "admin",
  { body: importLangfuseInput, action: "settings.manage" },
  async ({ req, db, actor, project, body }) =>
    json(
      await importLangfuse({ db, actor, projectId: project.id, events: await getEvents() }, body, {
        fetcher: outboundFetch(),
        dryRun: body.dryRun,
        folder: body.folder,
        // The caller going away stops the import (between prompts, and every request to Langfuse).
        signal: req.signal,
      }),
    ),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
