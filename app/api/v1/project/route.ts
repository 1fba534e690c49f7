// GET /api/v1/project: the key's project (slug, name, public id for Langfuse-compatible clients). Any key.
import { eq } from "drizzle-orm";
import { projects } from "@/db/schema";
import { json, withApiKey, otherMethods } from "@/lib/server/api";

export const GET = withApiKey("runtime", {}, async ({ db, project, scope }) => {
  const [p] = await db.select().from(projects).where(eq(projects.id, project.id));
  return json({ id: p!.id, slug: p!.slug, name: p!.name, publicId: p!.publicId, keyScope: scope });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
