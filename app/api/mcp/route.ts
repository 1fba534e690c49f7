// Lectern's MCP server over Streamable HTTP (POST messages, GET the server's stream, DELETE ends the
// session). Authorization: Bearer <API key>. The implementation is lib/server/http/mcp/mcp.ts; docs/mcp.md.
import { handleMcp } from "@/lib/server/http/mcp/mcp";
import { otherMethods } from "@/lib/server/http/api";

export const dynamic = "force-dynamic";

export const GET = handleMcp;
export const POST = handleMcp;
export const DELETE = handleMcp;

export const { PUT, PATCH } = otherMethods("GET", "POST", "DELETE");
