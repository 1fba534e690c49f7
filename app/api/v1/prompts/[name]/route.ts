import { promptDto } from "@/lib/registry/dto";
import { updatePromptDetails } from "@/lib/registry/prompts";
import { getPromptDetail } from "@/lib/views/prompt-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.getPromptDetail, async ({ db, project, params }) =>
  json(await getPromptDetail(db, project.id, params.name)),
);

export const PATCH = route(endpoints.updatePromptDetails, async ({ domain, params, body }) =>
  json({ prompt: promptDto(await updatePromptDetails(domain, params.name, body)) }),
);

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
