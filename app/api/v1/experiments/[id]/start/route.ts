// POST /api/v1/experiments/{id}/start: draft → running (phase 1). Admin key.
import { startExperiment } from "@/lib/experiments/lifecycle";
import { experimentDto } from "@/lib/experiments/store";
import { json, otherMethods, withApiKey } from "@/lib/server/api";
import { getEvents } from "@/lib/server/events";

export const POST = withApiKey("admin", { action: "experiment.manage" }, async ({ db, actor, project, params }) =>
  json(
    experimentDto(await startExperiment({ db, actor, projectId: project.id, events: await getEvents() }, params.id!)),
  ),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
