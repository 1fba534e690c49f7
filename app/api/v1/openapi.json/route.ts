// The OpenAPI 3.1 document of the whole v1 API, generated from the zod schemas, naming this Lectern as its server.
// Public. docs/api/openapi.json is the same document, committed (lib/server/http/openapi/openapi-report.ts).
import { otherMethods } from "@/lib/server/http/api";
import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/server/http/openapi/openapi";
import { publicUrl } from "@/lib/server/wiring/env";

let cached: ReturnType<typeof openApiDocument> | undefined;

export function GET() {
  cached ??= openApiDocument(publicUrl());
  return NextResponse.json(cached, { headers: { "cache-control": "public, max-age=300" } });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
