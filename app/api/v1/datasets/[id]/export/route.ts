// GET /api/v1/datasets/{id}/export?format=csv|jsonl[&version=]: the items of a dataset version as a file. Admin key.
import { z } from "zod";
import { exportItems } from "@/lib/evaluation/datasets";
import { otherMethods, withApiKey } from "@/lib/server/http/api";

const query = z.object({
  format: z.enum(["csv", "jsonl"], { error: "format must be csv or jsonl" }).default("csv"),
  version: z.coerce.number({ error: "version must be a number" }).int().min(0).optional(),
});

export const GET = withApiKey("admin", { query, action: "evaluation.read" }, async ({ db, project, params, query }) => {
  const file = await exportItems(db, project.id, params.id!, query.format, query.version);
  return new Response(file.body, {
    headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"` },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
