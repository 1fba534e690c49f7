"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  cancelOptimization,
  cancelOptimizationInput,
  createdOptimizationDto,
  createOptimization,
  createOptimizationInput,
} from "@/lib/optimization";
import { actionFrom } from "@/lib/server/actions/action";
import * as optimizations from "@/lib/server/http/endpoints/optimizations";
import { optimizationStart } from "@/lib/server/wiring/optimization-wiring";

// Optimizations: thin callers of lib/optimization (which validates the input; the permission is the endpoint's).

export const startOptimizationAction = actionFrom(
  optimizations.createOptimization,
  createOptimizationInput,
  async (c, input) => {
    const row = await createOptimization(c.domain, input, optimizationStart());
    revalidatePath(`/${c.project.slug}/optimizations`, "layout");
    return createdOptimizationDto(row);
  },
);

export const cancelOptimizationAction = actionFrom(
  optimizations.cancelOptimization,
  cancelOptimizationInput.extend({ id: z.string().max(64) }),
  async (c, { id, ...input }) => {
    const o = await cancelOptimization(c.domain, id, input);
    revalidatePath(`/${c.project.slug}/optimizations/${id}`);
    return o;
  },
);
