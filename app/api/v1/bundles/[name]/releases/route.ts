// POST /api/v1/bundles/{name}/releases {environment, versions, reason?, confirm…}: every member at once. Admin key.
import { releaseBundle, releaseBundleInput } from "@/lib/release/bundles";
import { bundleReleaseDto } from "@/lib/release/bundle-reads";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const POST = withApiKey("admin", { body: releaseBundleInput }, async ({ db, actor, project, params, body }) => {
  const r = await releaseBundle({ db, actor, projectId: project.id, events: await getEvents() }, params.name!, body);
  return json({ release: bundleReleaseDto(r, body.environment) }, 201);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
