// POST /api/v1/annotations {sampleId, label: "pass" | "fail"} or {sampleId, score: 1–5}, comment?: a person's
// label of a sampled live output (labelling again replaces it). Admin key (the label is the key's).
import { annotate, annotationInput } from "@/lib/evaluation/online/annotations";
import { json, otherMethods, withApiKey } from "@/lib/server/api";

export const POST = withApiKey("admin", { body: annotationInput }, async ({ db, actor, project, body }) =>
  json(await annotate({ db, actor, projectId: project.id }, body), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
