// The API reference (lib/server/http/openapi/api-docs.ts): a page rendered from the OpenAPI document. Public, as the document.
import { otherMethods } from "@/lib/server/http/api";
import { apiDocsCsp, apiDocsHtml } from "@/lib/server/http/openapi/api-docs";

export function GET() {
  return new Response(apiDocsHtml, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": apiDocsCsp,
      "cache-control": "public, max-age=300",
    },
  });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
