import { createConnection, listConnections } from "@/lib/llm/connections";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";
import { encryptionKey } from "@/lib/server/wiring/encryption";
import { connectionPolicy } from "@/lib/server/wiring/models-wiring";

// 400 naming the field, nothing written.
export const POST = route(endpoints.createConnection, async ({ domain, body }) =>
  json(await createConnection(domain, body, encryptionKey(), connectionPolicy()), 201),
);

export const GET = route(endpoints.listConnections, async ({ domain }) =>
  json({ data: await listConnections(domain) }),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
