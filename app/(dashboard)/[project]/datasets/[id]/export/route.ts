// GET /{project}/datasets/{id}/export?format=csv|jsonl&version=N: a dataset version as a file, for signed-in members (the UI's export links).
import { NextResponse, type NextRequest } from "next/server";
import { exportDataset } from "@/lib/evaluation/datasets";
import { isAppError } from "@/lib/errors";
import { errorResponse } from "@/lib/server/http/api";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";

export async function GET(req: NextRequest, { params }: { params: Promise<{ project: string; id: string }> }) {
  const { project: slug, id } = await params;
  const ctx = await requireProject(slug);
  const format = req.nextUrl.searchParams.get("format") === "jsonl" ? "jsonl" : "csv";
  const v = req.nextUrl.searchParams.get("version");
  const version = v && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
  try {
    const file = await exportDataset(await getDb(), ctx.project.id, id, format, version);
    return new NextResponse(file.body, {
      headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"` },
    });
  } catch (e) {
    if (isAppError(e)) return errorResponse(e);
    throw e;
  }
}
