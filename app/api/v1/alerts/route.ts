// GET /api/v1/alerts[?open=true&prompt=&limit=]: regression alerts, automatic rollbacks and withheld rollbacks, newest first. Admin key.
import { z } from "zod";
import { listAlerts } from "@/lib/evaluation/online/alerts";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

const query = z.object({
  open: z.enum(["true", "false"], { error: "open must be true or false" }).optional(),
  prompt: z.string().min(1).max(200).optional(),
  limit: z.coerce
    .number({ error: "limit must be a whole number" })
    .int()
    .min(1)
    .max(500, { error: "limit must be at most 500" })
    .default(100),
});

export const GET = withApiKey("admin", { query, action: "evaluation.read" }, async ({ db, project, query }) =>
  json({
    data: await listAlerts(db, project.id, { open: query.open === "true", prompt: query.prompt, limit: query.limit }),
  }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
