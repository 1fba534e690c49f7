import { revokeApiKey } from "@/lib/auth/api-keys";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";

export const DELETE = route(endpoints.revokeApiKey, async ({ params, domain }) =>
  json(await revokeApiKey(domain, params.id)),
);

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
