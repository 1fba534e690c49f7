import { getPriceSheet, replacePriceOverrides } from "@/lib/llm/project-prices";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/prices";

export const GET = route(endpoints.getPriceSheet, async ({ domain }) => json(await getPriceSheet(domain)));

export const PUT = route(endpoints.replacePriceOverrides, async ({ domain, body }) =>
  json(await replacePriceOverrides(domain, body)),
);

export const { POST, PATCH, DELETE } = otherMethods("GET", "PUT");
