// GET /api/v1/snapshot (export the whole project) and POST /api/v1/snapshot?dryRun= (import one: idempotent, 409 with the conflicts when histories diverged). Admin key.
import { z } from "zod";
import { exportSnapshot } from "@/lib/snapshots/export";
import { importSnapshot } from "@/lib/snapshots/import";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";
import { snapshotBodyLimit, snapshotImportQuery } from "@/lib/server/http/snapshot-api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project }) =>
  json(await exportSnapshot(db, project.id), 200, {
    "content-disposition": `attachment; filename="${project.slug}.lectern.json"`,
  }),
);

// The body is validated by importSnapshot (it names the field); the wrapper only reads it.
export const POST = withApiKey(
  "admin",
  { query: snapshotImportQuery, body: z.unknown(), action: "settings.manage", maxBodyBytes: snapshotBodyLimit },
  async ({ db, actor, project, query, body }) =>
    json(
      await importSnapshot({ db, actor, projectId: project.id, events: await getEvents() }, body, {
        dryRun: query.dryRun,
      }),
    ),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
