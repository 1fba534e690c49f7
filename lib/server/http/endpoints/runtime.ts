// The endpoints of the runtime paths (resolve, events, OTLP) and the OpenAPI document itself: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
