import { acknowledgeAlert } from "@/lib/evaluation/online/alerts";
import { otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";

export const POST = route(endpoints.acknowledgeAlert, async ({ domain, params }) => {
  await acknowledgeAlert(domain, params.id);
  return new Response(null, { status: 204 });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
