import { retrievePezzoCache } from "@/lib/compat/pezzo/response-cache";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/pezzo";
import { pezzoCaller } from "@/lib/server/http/pezzo-caller";

export const POST = route(endpoints.pezzoRetrieveCachedRequest, async (c) => json(retrievePezzoCache(pezzoCaller(c))));

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
