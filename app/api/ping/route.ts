// An empty route handler — a liveness probe, and the framework's floor in the benchmark.
import { otherMethods } from "@/lib/server/http/api";
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({});
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
