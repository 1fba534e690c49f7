// POST /api/v1/annotations {sampleId | runItemId, score: 1–5 | "pass" | "fail" | true | false, comment?}: a
// person's label (a score with source "human") of a sampled live output or a run's output; labelling again
// replaces it. `label: "pass" | "fail"` is the older spelling. Admin key (the label is the key's).
import { annotate, annotationInput } from "@/lib/evaluation/online/annotations";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const POST = withApiKey("admin", { body: annotationInput }, async ({ db, actor, project, body }) =>
  json(await annotate({ db, actor, projectId: project.id }, body), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
