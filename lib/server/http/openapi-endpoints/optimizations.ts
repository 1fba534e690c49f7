// The /api/v1/optimizations endpoints (lib/optimization), for the OpenAPI document (../openapi.ts).
import "server-only";
import { createOptimizationInput } from "@/lib/optimization";
import type { Endpoint } from "./shared";

export const optimizationEndpoints: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/optimizations",
    summary:
      "Start a prompt optimization of a version on a dataset (split, seeded, into train and held-out) with the gate's scorers (or those given), under a budget of model calls and cost → 202 {optimization: {id, status: queued}}; a job searches with GEPA (Ax) and ends in a draft carrying the held-out comparison — never a version or a deployment",
    scope: "admin",
    body: createOptimizationInput,
    status: 202,
  },
  {
    method: "get",
    path: "/api/v1/optimizations/{id}",
    summary:
      "An optimization: status (queued, running, completed, budget_exhausted, failed), calls and costUsd spent, split {train, heldOut, seed}, candidates tried with their train scores, best, draft {id, name} and comparison (paired statistics on the held-out split: items, overall, scorers, verdict) once made, searchStoppedBy, budgetNotice, error",
    scope: "admin",
  },
];
