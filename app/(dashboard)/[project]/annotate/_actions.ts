"use server";

import { revalidatePath } from "next/cache";
import { createAnnotation, annotationInput } from "@/lib/evaluation/online/annotations";
import { actionFrom } from "@/lib/server/actions/action";
import * as evaluation from "@/lib/server/http/endpoints/evaluation";

// Labelling a sampled output: a thin caller of lib/evaluation/online/annotations (the permission is the endpoint's).
export const annotateAction = actionFrom(evaluation.createAnnotation, annotationInput, async (c, input) => {
  const label = await createAnnotation(c.domain, input);
  revalidatePath(`/${c.project.slug}/annotate`);
  return label;
});
