import { nextOutputToLabel } from "@/lib/evaluation/judge-labels";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.nextOutputToLabel, async ({ domain, query }) =>
  json(await nextOutputToLabel(domain, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
