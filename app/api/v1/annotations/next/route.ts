// GET /api/v1/annotations/next?rule=<id>: the newest scored output of the rule this person has not
// labelled, with the judges' rubrics and the label counts. Admin key.
import { z } from "zod";
import { nextToLabel } from "@/lib/evaluation/online/annotations";
import { json, otherMethods, withApiKey } from "@/lib/server/api";

const query = z.object({ rule: z.string({ error: "rule is required" }).min(1, { error: "rule is required" }).max(64) });

export const GET = withApiKey("admin", { query }, async ({ db, actor, project, query }) =>
  json(await nextToLabel({ db, actor, projectId: project.id }, query.rule)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
