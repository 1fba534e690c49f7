import { rollbackPrompt } from "@/lib/release/rollback";
import { deployOutcomeDto } from "@/lib/release/dto";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/deployments";

// 201 with the deployment; 200 and `unchanged: true` when the environment served that version already.
export const POST = route(endpoints.rollbackPrompt, async ({ domain, params, body }) => {
  const d = await rollbackPrompt(domain, params.name, body);
  return json(deployOutcomeDto(d, body.environment), d.status === "deployed" ? 201 : 200);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
