import { createAnnotation } from "@/lib/evaluation/online/annotations";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const POST = route(endpoints.createAnnotation, async ({ domain, body }) =>
  json(await createAnnotation(domain, body), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
