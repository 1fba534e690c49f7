import { deleteConnection, updateConnection } from "@/lib/llm/connections";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";
import { encryptionKey } from "@/lib/server/wiring/encryption";
import { callerResolver, connectionPolicy } from "@/lib/server/wiring/models-wiring";

export const PATCH = route(endpoints.updateConnection, async ({ domain, params, body }) =>
  json(await updateConnection(domain, params.id, body, encryptionKey(), connectionPolicy(), callerResolver())),
);

export const DELETE = route(endpoints.deleteConnection, async ({ domain, params }) =>
  json(await deleteConnection(domain, params.id, callerResolver())),
);

export const { GET, POST, PUT } = otherMethods("PATCH", "DELETE");
