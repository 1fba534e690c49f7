// GET /api/v1/scorers/agreement?rule=<id> | ?run=<id> [&scorer=]: each LLM-judge scorer of an online rule
// or of an evaluation run against people's labels of its outputs: κ (or weighted κ and Spearman for 1–5
// labels), the confusion table, the outputs they disagree on and a warning below 30 labels or κ < 0.6;
// {labels, kappa, weightedKappa?, confusion, disagreements} of the named (else first) judge at the top,
// every judge in `judges`. Admin key.
import { z } from "zod";
import { judgeAgreement } from "@/lib/evaluation/online/agreement";
import { runJudgeAgreement } from "@/lib/evaluation/runs/labels";
import { agreementSummary } from "@/lib/scorers/agreement";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

const query = z
  .object({
    rule: z.string().min(1).max(64).optional(),
    run: z.string().min(1).max(64).optional(),
    scorer: z.string().min(1).max(200).optional(),
  })
  .refine((q) => (q.rule === undefined) !== (q.run === undefined), {
    path: ["rule"],
    error: "give either rule (an online rule's id) or run (an evaluation run's id)",
  });

export const GET = withApiKey("admin", { query, action: "evaluation.read" }, async ({ db, project, query }) =>
  json(
    query.rule
      ? await judgeAgreement(db, project.id, query.rule, { scorer: query.scorer })
      : await runJudgeAgreement(db, project.id, query.run!, { scorer: query.scorer }).then((r) => ({
          run: r.run,
          ...agreementSummary(r.judges, query.scorer),
          judges: r.judges,
        })),
  ),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
