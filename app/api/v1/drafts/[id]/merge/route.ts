import { mergedDraftDto } from "@/lib/release/dto";
import { mergeDraft } from "@/lib/release/drafts/drafts";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/release";

export const POST = route(endpoints.mergeDraft, async ({ domain, params, body }) =>
  json(mergedDraftDto(await mergeDraft(domain, params.id, body)), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
