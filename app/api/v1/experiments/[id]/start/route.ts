// POST /api/v1/experiments/{id}/start {confirmBreaking?}: draft → running (phase 1); the control must be what the environment serves and every other variant must satisfy its release plan. Admin key.
import { experimentReleaseInput, startExperiment } from "@/lib/experiments/lifecycle";
import { experimentDto } from "@/lib/experiments/store";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const POST = withApiKey(
  "admin",
  { body: experimentReleaseInput, action: "experiment.manage" },
  async ({ db, actor, project, params, body }) =>
    json(
      experimentDto(
        await startExperiment({ db, actor, projectId: project.id, events: await getEvents() }, params.id!, body),
      ),
    ),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
