// The endpoints of the Langfuse-compatible prompt API under /api/public: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
