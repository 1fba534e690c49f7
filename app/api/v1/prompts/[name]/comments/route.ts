import { addPromptComment, listPromptComments } from "@/lib/release/reviews/comments";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.listPromptComments, async ({ db, project, params, query }) =>
  json({ data: await listPromptComments(db, project.id, params.name, query) }),
);

export const POST = route(endpoints.addPromptComment, async ({ domain, params, body }) =>
  json(await addPromptComment(domain, params.name, body), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
