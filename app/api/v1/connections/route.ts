import { createConnection, listConnections } from "@/lib/llm/connections";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";
import { encryptionKey } from "@/lib/server/wiring/encryption";
import { connectionPolicy } from "@/lib/server/wiring/models";

// 400 naming the field, nothing written.
export const POST = route(endpoints.createConnection, async ({ db, actor, project, body }) =>
  json(await createConnection(db, actor, project.id, body, encryptionKey(), connectionPolicy()), 201),
);

export const GET = route(endpoints.listConnections, async ({ db, actor, project }) =>
  json({ data: await listConnections(db, actor, project.id) }),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
