// POST /api/v1/annotations {sampleId | runItemId, score: 1–5 | "pass" | "fail" | true | false, comment?}: a
// person's label (a score with source "human") of a sampled live output or a run's output; labelling again
// replaces it. `label: "pass" | "fail"` is the older spelling. Admin key (the label is the key's).
import { annotate } from "@/lib/evaluation/online/annotations";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const POST = route(endpoints.createAnnotation, async ({ domain, body }) =>
  json(await annotate(domain, body), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
