"use server";

import { revalidatePath } from "next/cache";
import { createOptimization, createOptimizationInput } from "@/lib/optimization";
import { projectAction } from "@/lib/server/http/action";
import { enqueueOptimization } from "@/lib/server/wiring/optimization";

// Optimizations: thin callers of lib/optimization (which checks the role and validates the input).

export const startOptimizationAction = projectAction(createOptimizationInput, async (c, input) => {
  const row = await createOptimization(c.domain, input, enqueueOptimization);
  revalidatePath(`/${c.project.slug}/optimizations`, "layout");
  return { id: row.id };
});
