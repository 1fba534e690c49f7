"use server";

import { revalidatePath } from "next/cache";
import { annotate, annotationInput } from "@/lib/evaluation/online/annotations";
import { projectAction } from "@/lib/server/http/action";

// Labelling a sampled output: a thin caller of lib/evaluation/online/annotations (it checks the role).
export const annotateAction = projectAction(annotationInput, async (c, input) => {
  const label = await annotate(c.domain, input);
  revalidatePath(`/${c.project.slug}/annotate`);
  return label;
});
