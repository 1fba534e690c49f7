// GET /api/v1/scorers/agreement?rule=<id> | ?run=<id> [&scorer=]: each LLM-judge scorer of an online rule
// or of an evaluation run against people's labels of its outputs: κ (or weighted κ and Spearman for 1–5
// labels), the confusion table, the outputs they disagree on and a warning below 30 labels or κ < 0.6;
// {labels, kappa, weightedKappa?, confusion, disagreements} of the named (else first) judge at the top,
// every judge in `judges`. Admin key.
import { scorerAgreement } from "@/lib/evaluation/judge-labels";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.scorerAgreement, async ({ db, project, query }) =>
  json(await scorerAgreement(db, project.id, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
