// GET /{project}/download/{name}?version=N&format=dotprompt|prompt.yml: a prompt version as a file, for
// signed-in members who may read the prompt (the prompt page's Download links; the API's export needs an admin key).
import { domainContext } from "@/lib/server/wiring/domain";
import { NextResponse, type NextRequest } from "next/server";
import { authorize } from "@/lib/auth/permissions";
import { AppError, isAppError } from "@/lib/errors";
import { fileFormats, type FileFormat } from "@/lib/registry/formats/files";
import { downloadPromptFile } from "@/lib/evaluation/prompt-files";
import { errorResponse } from "@/lib/server/http/api";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";

export async function GET(req: NextRequest, { params }: { params: Promise<{ project: string; name: string[] }> }) {
  const { project: slug, name: segments } = await params;
  const ctx = await requireProject(slug);
  // This route is the operation's wrapper: a member reads prompts (prompt.read), checked here once.
  const name = segments.map(decodeURIComponent).join("/");
  const format = req.nextUrl.searchParams.get("format") ?? "";
  const v = req.nextUrl.searchParams.get("version") ?? "";
  try {
    authorize(ctx.actor, "prompt.read");
    if (!(fileFormats as readonly string[]).includes(format))
      throw new AppError("invalid_input", 'format must be "dotprompt" or "prompt.yml"', { field: "format" });
    if (!/^[1-9]\d{0,8}$/.test(v))
      throw new AppError("invalid_input", "version must be a version number", { field: "version" });
    const file = await downloadPromptFile(
      await domainContext(await getDb(), ctx.actor, ctx.project.id),
      name,
      Number(v),
      format as FileFormat,
    );
    return new NextResponse(file.body, {
      headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"` },
    });
  } catch (e) {
    if (isAppError(e)) return errorResponse(e);
    throw e;
  }
}
