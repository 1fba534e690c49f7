// GET /api/v1/experiments[?prompt=&status=] and POST /api/v1/experiments (a draft, with its planned sample per arm). Admin key.
import { z } from "zod";
import { createExperiment, experimentDto, listExperiments, parseExperimentInput } from "@/lib/experiments/store";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

const query = z.object({
  prompt: z.string().max(255).optional(),
  status: z.enum(["draft", "running", "stopped"], { error: "status must be draft, running or stopped" }).optional(),
});

export const GET = withApiKey("admin", { query, action: "experiment.read" }, async ({ db, project, query }) =>
  json({ data: (await listExperiments(db, project.id, query)).map(experimentDto) }),
);

// 422 naming the field, nothing written.
export const POST = withApiKey(
  "admin",
  { body: parseExperimentInput, action: "experiment.manage" },
  async ({ db, actor, project, body }) =>
    json(experimentDto(await createExperiment({ db, actor, projectId: project.id }, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
