import { discardDraft, updateDraft } from "@/lib/release/drafts/drafts";
import { draftDto } from "@/lib/release/dto";
import { getDraft } from "@/lib/views/prompt-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/release";

export const GET = route(endpoints.getDraft, async ({ db, project, params }) =>
  json(await getDraft(db, project.id, params.id)),
);

export const PUT = route(endpoints.updateDraft, async ({ domain, params, body }) =>
  json(draftDto(await updateDraft(domain, params.id, body))),
);

export const DELETE = route(endpoints.discardDraft, async ({ domain, params }) => {
  await discardDraft(domain, params.id);
  return json({ id: params.id, discarded: true });
});

export const { POST, PATCH } = otherMethods("GET", "PUT", "DELETE");
