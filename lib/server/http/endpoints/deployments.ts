// The endpoints of promoting and rolling back a prompt: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
