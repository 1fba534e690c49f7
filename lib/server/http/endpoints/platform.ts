// The endpoints of webhooks, connections, API keys, alerts and the audit log: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
