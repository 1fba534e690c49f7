// Any /api path no route matches: a JSON 404 in the one error shape (Next would answer with its HTML page).
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/server/http/api";

export const dynamic = "force-dynamic";

const notFound = (req: Request) =>
  errorResponse(
    new AppError(
      "not_found",
      `No API endpoint at ${new URL(req.url).pathname}. The API is described at /api/v1/openapi.json.`,
    ),
  );

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
