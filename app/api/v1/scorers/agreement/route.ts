// GET /api/v1/scorers/agreement?rule=<id>[&scorer=]: each LLM-judge scorer of an online rule against
// people's labels: κ (or weighted κ and Spearman for 1–5 labels), the confusion table, the outputs they
// disagree on and a warning below 30 labels or κ < 0.6. Admin key.
import { z } from "zod";
import { judgeAgreement } from "@/lib/evaluation/online/agreement";
import { json, otherMethods, withApiKey } from "@/lib/server/api";

const query = z.object({
  rule: z.string({ error: "rule is required" }).min(1, { error: "rule is required" }).max(64),
  scorer: z.string().min(1).max(200).optional(),
});

export const GET = withApiKey("admin", { query, action: "evaluation.read" }, async ({ db, project, query }) =>
  json(await judgeAgreement(db, project.id, query.rule, { scorer: query.scorer })),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
