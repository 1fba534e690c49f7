import { createdPromptDto } from "@/lib/registry/dto";
import { createPrompt, listPrompts } from "@/lib/registry/prompts";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.listPrompts, async ({ db, project, query }) =>
  json(await listPrompts(db, project.id, query)),
);

export const POST = route(endpoints.createPrompt, async ({ domain, body }) =>
  json(createdPromptDto(await createPrompt(domain, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
