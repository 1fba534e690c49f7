import { removeVersionLabel, setVersionLabel } from "@/lib/release/version-labels/version-labels";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/version-labels";

export const PUT = route(endpoints.setVersionLabel, async ({ domain, params, body }) =>
  json(await setVersionLabel(domain, params.name, params.label, body.version)),
);

export const DELETE = route(endpoints.removeVersionLabel, async ({ domain, params }) =>
  json(await removeVersionLabel(domain, params.name, params.label)),
);

export const { GET, POST, PATCH } = otherMethods("PUT", "DELETE");
