import { importFromPezzo } from "@/lib/compat/pezzo/import";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/pezzo";

// The caller going away stops the import between prompts.
export const POST = route(endpoints.importFromPezzo, async ({ req, domain, body }) =>
  json(await importFromPezzo(domain, body, req.signal)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
