// GET /api/v1/experiments/namespaces[?name=]: each namespace in use, its drafts and running experiments with
// their shares, and what no running experiment holds. Admin key.
import { z } from "zod";
import { namespaceName } from "@/lib/experiments/definition";
import { namespaceUsage } from "@/lib/experiments/namespaces";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

const query = z.object({ name: namespaceName.optional() });

export const GET = withApiKey("admin", { query, action: "experiment.read" }, async ({ db, project, query }) =>
  json({ data: await namespaceUsage(db, project.id, query.name) }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
