// GET /api/v1/bundles (list) and POST /api/v1/bundles {name, prompts, description?} (create). Admin key.
import { createBundle, createBundleInput, listBundles } from "@/lib/release/bundles";
import { bundleView } from "@/lib/release/bundle-reads";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project }) =>
  json({ bundles: (await listBundles(db, project.id)).map((b) => ({ name: b.name, description: b.description })) }),
);

export const POST = withApiKey("admin", { body: createBundleInput }, async ({ db, actor, project, body }) => {
  const b = await createBundle({ db, actor, projectId: project.id }, body);
  return json(await bundleView(db, project.id, b.name), 201);
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
