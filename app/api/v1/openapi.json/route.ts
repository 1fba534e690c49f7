// The OpenAPI 3.1 document of the whole v1 API, generated from the zod schemas. Public.
import { otherMethods } from "@/lib/server/http/api";
import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/server/http/openapi";

let cached: ReturnType<typeof openApiDocument> | undefined;

export function GET() {
  cached ??= openApiDocument();
  return NextResponse.json(cached, { headers: { "cache-control": "public, max-age=300" } });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
