// The endpoint that imports a Langfuse project's prompts: one declaration (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { importLangfuseInput, importReportSchema } from "@/lib/langfuse/import";
import { endpoint } from "../endpoint";

export const importFromLangfuse = endpoint({
  method: "POST",
  path: "/api/v1/import/langfuse",
  summary:
    "Import a Langfuse project's prompts (every version, labels as environments); dryRun plans; idempotent, all or nothing per prompt",
  scope: "admin",
  permission: "settings.manage",
  body: importLangfuseInput,
  response: importReportSchema,
});
