// 200 when the database and Redis (when configured) answer, else 503. Anonymous
// callers get only the status; a valid API key or a signed-in session also gets what is used and why it fails.
import type { NextRequest } from "next/server";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/server/wiring/auth";
import { healthAnswer } from "@/lib/server/wiring/health";
import { hasValidKey, otherMethods } from "@/lib/server/http/api";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  const known = async () =>
    (await hasValidKey(req)) || Boolean(await getServerSession(authOptions()).catch(() => null));
  const r = await healthAnswer(known);
  return new Response(r.body, { status: r.status, headers: r.headers });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
