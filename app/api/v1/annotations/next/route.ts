// GET /api/v1/annotations/next?rule=<id> | ?run=<id>: the next output this person has not labelled, of an
// online rule (the newest scored) or of an evaluation run (the first in dataset order), with the judges'
// rubrics and the label counts. Admin key.
import { z } from "zod";
import { nextToLabel } from "@/lib/evaluation/online/annotations";
import { nextRunItemToLabel } from "@/lib/evaluation/runs/labels";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

const query = z
  .object({ rule: z.string().min(1).max(64).optional(), run: z.string().min(1).max(64).optional() })
  .refine((q) => (q.rule === undefined) !== (q.run === undefined), {
    path: ["rule"],
    error: "give either rule (an online rule's id) or run (an evaluation run's id)",
  });

export const GET = withApiKey("admin", { query }, async ({ db, actor, project, query }) => {
  const ctx = { db, actor, projectId: project.id };
  return json(query.rule ? await nextToLabel(ctx, query.rule) : await nextRunItemToLabel(ctx, query.run!));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
