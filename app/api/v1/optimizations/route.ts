import { createdOptimizationDto, createOptimization } from "@/lib/optimization";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/optimizations";
import { optimizationStart } from "@/lib/server/wiring/optimization-wiring";

export const POST = route(endpoints.createOptimization, async ({ domain, body }) => {
  const row = await createOptimization(domain, body, optimizationStart());
  return json(createdOptimizationDto(row), 202);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
