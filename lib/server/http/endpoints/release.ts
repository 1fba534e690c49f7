// The endpoints of drafts, reviews and rollouts of prompts (promote and rollback are in deployments.ts): one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
