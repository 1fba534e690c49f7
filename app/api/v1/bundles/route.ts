import { createBundle, listBundles } from "@/lib/release/bundles/bundles";
import { getBundle } from "@/lib/release/bundles/bundle-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/bundles";

export const GET = route(endpoints.listBundles, async ({ db, project }) =>
  json({ bundles: (await listBundles(db, project.id)).map((b) => ({ name: b.name, description: b.description })) }),
);

export const POST = route(endpoints.createBundle, async ({ domain, db, project, body }) => {
  const b = await createBundle(domain, body);
  return json(await getBundle(db, project.id, b.name), 201);
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
