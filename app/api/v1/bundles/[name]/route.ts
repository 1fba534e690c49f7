// GET /api/v1/bundles/{name}: members, and per environment what each serves and the bundle's releases.
// PATCH {prompts, description?}: sets its members, in order (what it serves changes only at its next release). Admin key.
import { bundleView } from "@/lib/release/bundle-reads";
import { updateBundle, updateBundleInput } from "@/lib/release/bundle-update";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) =>
  json(await bundleView(db, project.id, params.name!)),
);

export const PATCH = withApiKey("admin", { body: updateBundleInput }, async ({ db, actor, project, params, body }) => {
  await updateBundle({ db, actor, projectId: project.id }, params.name!, body);
  return json(await bundleView(db, project.id, params.name!));
});

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
