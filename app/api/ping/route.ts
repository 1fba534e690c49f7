// GET /api/ping: an empty route handler — a liveness probe, and the framework's floor in the benchmark.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({});
}
