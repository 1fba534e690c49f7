// GET /api/v1/prompts/{name}/versions (history) and POST (save a new version; 409 when baseVersion is not the latest). Admin key.
import { versionDto } from "@/lib/registry/dto";
import { getPrompt } from "@/lib/registry/prompts";
import { createVersion, createVersionInput, listVersions } from "@/lib/registry/versions";
import { placementOf, versionStatuses } from "@/lib/release/status";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";
import { listVersionsQuery } from "@/lib/server/http/prompt-api";

export const GET = withApiKey(
  "admin",
  { query: listVersionsQuery, action: "prompt.read" },
  async ({ db, project, params, query }) => {
    const prompt = await getPrompt(db, project.id, params.name!);
    const [rows, statuses] = await Promise.all([
      listVersions(db, prompt, { limit: query.limit }),
      versionStatuses(db, prompt.id),
    ]);
    return json({
      data: rows.map((r) =>
        versionDto(r.version, { placement: placementOf(statuses, r.version.version), author: r.authorName }),
      ),
    });
  },
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
        data: versionDto(version, { placement: placementOf(new Map(), version.version), withDiff: true }),
        warnings,
      },
      201,
    );
  },
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
