import { getBundle } from "@/lib/release/bundles/bundle-reads";
import { updateBundle } from "@/lib/release/bundles/bundle-update";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/bundles";

export const GET = route(endpoints.getBundle, async ({ db, project, params }) =>
  json(await getBundle(db, project.id, params.name)),
);

export const PATCH = route(endpoints.updateBundle, async ({ domain, db, project, params, body }) => {
  await updateBundle(domain, params.name, body);
  return json(await getBundle(db, project.id, params.name));
});

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
