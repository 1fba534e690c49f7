// POST /api/v1/connections/{id}/test {model?}: one small model call through the connection; answers ok, the model's reply, latency and the classified error. Admin key.
import { testConnection, testConnectionInput } from "@/lib/llm/connection-test";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { callerResolver } from "@/lib/server/wiring/models";

export const POST = withApiKey(
  "admin",
  { body: testConnectionInput, action: "connection.manage" },
  async ({ db, actor, project, params, body }) =>
    json(await testConnection(db, actor, project.id, params.id!, body, callerResolver())),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
