import { deleteConnection, updateConnection } from "@/lib/llm/connections";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";
import { encryptionKey } from "@/lib/server/wiring/encryption";
import { callerResolver, connectionPolicy } from "@/lib/server/wiring/models";

export const PATCH = route(endpoints.updateConnection, async ({ db, actor, project, params, body }) =>
  json(
    await updateConnection(
      db,
      actor,
      project.id,
      params.id,
      body,
      encryptionKey(),
      connectionPolicy(),
      callerResolver(),
    ),
  ),
);

export const DELETE = route(endpoints.deleteConnection, async ({ db, actor, project, params }) =>
  json(await deleteConnection(db, actor, project.id, params.id, callerResolver())),
);

export const { GET, POST, PUT } = otherMethods("PATCH", "DELETE");
