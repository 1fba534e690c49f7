import { scorerAgreement } from "@/lib/evaluation/judge-labels";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.scorerAgreement, async ({ db, project, query }) =>
  json(await scorerAgreement(db, project.id, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
