import { getPriceSheet, setPrices } from "@/lib/llm/project-prices";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.getPriceSheet, async ({ db, actor, project }) =>
  json(await getPriceSheet(db, actor, project.id)),
);

export const PUT = route(endpoints.replacePriceOverrides, async ({ db, actor, project, body }) =>
  json(await setPrices(db, actor, project.id, body)),
);

export const { POST, PATCH, DELETE } = otherMethods("GET", "PUT");
