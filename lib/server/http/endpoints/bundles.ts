// The endpoints of agent bundles and experiments: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
