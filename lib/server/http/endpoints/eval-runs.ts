// The endpoints of evaluation runs: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
