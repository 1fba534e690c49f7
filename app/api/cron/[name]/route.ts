// Runs a scheduled job now (Authorization: Bearer $CRON_SECRET). Answers what it did,
// or that another run holds the job's lock.
import type { NextRequest } from "next/server";
import { otherMethods } from "@/lib/server/http/api";
import { cronRoute } from "@/lib/server/jobs/cron-route";

export const dynamic = "force-dynamic";

async function handle(req: NextRequest, { params }: { params: Promise<{ name: string }> }) {
  return cronRoute(req, (await params).name);
}

export { handle as GET, handle as POST };
export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
