// POST /api/v1/experiments/{id}/stop {decision: {ship: "<key>"} | {keep: "control"}, reason?}: shipping promotes through the release log. Admin key.
import { stopExperiment, stopExperimentInput } from "@/lib/experiments/lifecycle";
import { experimentDto } from "@/lib/experiments/store";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const POST = withApiKey(
  "admin",
  { body: stopExperimentInput, action: "experiment.manage" },
  async ({ db, actor, project, params, body }) =>
    json(
      experimentDto(
        await stopExperiment({ db, actor, projectId: project.id, events: await getEvents() }, params.id!, body),
      ),
    ),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
