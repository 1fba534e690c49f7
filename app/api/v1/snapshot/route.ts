import { exportProjectSnapshot } from "@/lib/snapshots/export";
import { importProjectSnapshot } from "@/lib/snapshots/import";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/snapshots";

export const GET = route(endpoints.exportProjectSnapshot, async ({ db, project }) =>
  json(await exportProjectSnapshot(db, project.id), 200, {
    "content-disposition": `attachment; filename="${project.slug}.lectern.json"`,
  }),
);

// The body is validated by importProjectSnapshot (it names the field); the declaration only reads it.
export const POST = route(endpoints.importProjectSnapshot, async ({ domain, query, body }) =>
  json(await importProjectSnapshot(domain, body, { dryRun: query.dryRun })),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
