// GET /api/v1/prompts/{name}/versions (history) and POST (save a new version; 409 when baseVersion is not the latest). Admin key.
import { versionDto, versionListResponse } from "@/lib/registry/dto";
import { createVersion, createVersionInput } from "@/lib/registry/versions";
import { versionHistory } from "@/lib/release/prompt-reads";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";
import { listVersionsQuery } from "@/lib/server/http/prompt-api";

export const GET = withApiKey(
  "admin",
  { query: listVersionsQuery, response: versionListResponse, action: "prompt.read" },
  async ({ db, project, params, query }) => json(await versionHistory(db, project.id, params.name!, query)),
);

export const POST = withApiKey(
  "admin",
  { body: createVersionInput, action: "version.create" },
  async ({ db, actor, project, params, body }) => {
    const { version, warnings } = await createVersion(
      { db, actor, projectId: project.id, events: await getEvents() },
      params.name!,
      body,
    );
    return json(
      {
        version: version.version,
        data: versionDto(version, { placement: { status: "draft", liveIn: [], wasLiveIn: [] }, withDiff: true }),
        warnings,
      },
      201,
    );
  },
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
