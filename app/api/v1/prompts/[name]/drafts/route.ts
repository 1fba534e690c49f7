import { createDraft } from "@/lib/release/drafts/drafts";
import { draftDto } from "@/lib/release/dto";
import { listPromptDrafts } from "@/lib/views/prompt-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/release";

export const POST = route(endpoints.createDraft, async ({ domain, params, body }) =>
  json(draftDto(await createDraft(domain, params.name, body)), 201),
);

export const GET = route(endpoints.listPromptDrafts, async ({ db, project, params }) =>
  json(await listPromptDrafts(db, project.id, params.name)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
