// The endpoints of datasets, online evaluation, shadow comparisons, scorer agreement, annotations and optimizations: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
