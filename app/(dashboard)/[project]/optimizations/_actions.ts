"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  cancelOptimization,
  cancelOptimizationInput,
  createOptimization,
  createOptimizationInput,
} from "@/lib/optimization";
import { projectAction } from "@/lib/server/actions/action";
import { optimizationStart } from "@/lib/server/wiring/optimization";

// Optimizations: thin callers of lib/optimization (which checks the role and validates the input).

// The role is checked before the input, as the REST routes do (a viewer gets 403 whatever the input).
const run = { action: "evaluation.run" } as const;

export const startOptimizationAction = projectAction(
  createOptimizationInput,
  async (c, input) => {
    const row = await createOptimization(c.domain, input, optimizationStart());
    revalidatePath(`/${c.project.slug}/optimizations`, "layout");
    return { id: row.id };
  },
  run,
);

export const cancelOptimizationAction = projectAction(
  cancelOptimizationInput.extend({ id: z.string().max(64) }),
  async (c, { id, ...input }) => {
    const o = await cancelOptimization(c.domain, id, input);
    revalidatePath(`/${c.project.slug}/optimizations/${id}`);
    return { status: o.status };
  },
  run,
);
