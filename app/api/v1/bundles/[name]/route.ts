// GET /api/v1/bundles/{name}: members, and per environment what each serves and the bundle's releases. Admin key.
import { bundleView } from "@/lib/release/bundle-reads";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) =>
  json(await bundleView(db, project.id, params.name!)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
