// POST /api/v1/bundles/{name}/rollback {environment, reason?}: every member back to the previous release. Admin key.
import { rollbackBundle, rollbackBundleInput } from "@/lib/release/bundles";
import { bundleReleaseDto } from "@/lib/release/bundle-reads";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const POST = withApiKey("admin", { body: rollbackBundleInput }, async ({ db, actor, project, params, body }) => {
  const r = await rollbackBundle({ db, actor, projectId: project.id, events: await getEvents() }, params.name!, body);
  return json({ release: bundleReleaseDto(r, body.environment) }, 201);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
