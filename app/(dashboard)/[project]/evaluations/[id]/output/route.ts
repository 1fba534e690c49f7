// GET /{project}/evaluations/{id}/output?item=&repetition=: one run item's whole output as text, for signed-in members (the run page shows a preview and links here).
import { NextResponse, type NextRequest } from "next/server";
import { runItemOutput } from "@/lib/evaluation/runs";
import { isAppError } from "@/lib/errors";
import { errorResponse } from "@/lib/server/http/api";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";

export async function GET(req: NextRequest, { params }: { params: Promise<{ project: string; id: string }> }) {
  const { project: slug, id } = await params;
  const ctx = await requireProject(slug);
  const item = req.nextUrl.searchParams.get("item") ?? "";
  const rep = req.nextUrl.searchParams.get("repetition") ?? "0";
  try {
    const text = await runItemOutput(await getDb(), ctx.project.id, id, item, /^\d{1,3}$/.test(rep) ? Number(rep) : -1);
    // Plain text, never rendered: the output is the model's (or an end user's) words.
    return new NextResponse(text, {
      headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
    });
  } catch (e) {
    if (isAppError(e)) return errorResponse(e);
    throw e;
  }
}
