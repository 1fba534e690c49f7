import { revokeApiKey } from "@/lib/auth/api-keys";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";

export const DELETE = route(endpoints.revokeApiKey, async ({ db, actor, project, params, domain }) =>
  json(await revokeApiKey(db, actor, project.id, params.id, domain.events)),
);

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
