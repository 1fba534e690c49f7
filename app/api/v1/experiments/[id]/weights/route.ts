// POST /api/v1/experiments/{id}/weights {weights: {<key>: w}, reason?}: new weights open a new phase (new seed). Admin key.
import { setWeights, setWeightsInput } from "@/lib/experiments/lifecycle";
import { experimentDto } from "@/lib/experiments/store";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const POST = withApiKey(
  "admin",
  { body: setWeightsInput, action: "experiment.manage" },
  async ({ db, actor, project, params, body }) =>
    json(
      experimentDto(
        await setWeights({ db, actor, projectId: project.id, events: await getEvents() }, params.id!, body),
      ),
    ),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
