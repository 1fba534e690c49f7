import { importPromptFile } from "@/lib/evaluation/prompt-files";
import { importResultDto } from "@/lib/registry/formats/version-files";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/prompt-files";

export const POST = route(endpoints.importPromptFile, async ({ domain, body }) => {
  const r = await importPromptFile(domain, body);
  return json(importResultDto(r), r.unchanged ? 200 : 201);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
