import { rollbackBundle } from "@/lib/release/bundles/bundle-rollback";
import { bundleReleaseDto } from "@/lib/release/bundles/bundle-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/bundles";

export const POST = route(endpoints.rollbackBundle, async ({ domain, params, body }) => {
  const r = await rollbackBundle(domain, params.name, body);
  return json({ release: bundleReleaseDto(r, body.environment) }, 201);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
