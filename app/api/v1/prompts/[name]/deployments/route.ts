import { promoteVersion } from "@/lib/release/promote";
import { deployOutcomeDto } from "@/lib/release/dto";
import { listPromptDeployments } from "@/lib/views/prompt-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/deployments";

// 201 with the deployment; 200 and `unchanged: true` when the environment served that version already.
export const POST = route(endpoints.promoteVersion, async ({ domain, params, body }) => {
  const d = await promoteVersion(domain, params.name, body);
  return json(deployOutcomeDto(d, body.environment), d.status === "deployed" ? 201 : 200);
});

export const GET = route(endpoints.listPromptDeployments, async ({ db, project, params, query }) =>
  json(await listPromptDeployments(db, project.id, params.name, query)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
