import { assertEnvironmentAllowed } from "@/lib/auth/api-keys";
import { resolveBundle } from "@/lib/runtime/bundle-resolve";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/bundles";
import { getRuntime } from "@/lib/server/wiring/runtime-wiring";

export const GET = route(endpoints.resolveBundle, async ({ db, actor, project, params, query, environments }) => {
  assertEnvironmentAllowed({ environments, name: actor.label }, query.environment);
  const { exposures } = await getRuntime();
  return json(
    await resolveBundle(db, project.id, params.name, query.environment, {
      subject: query.subject,
      exposed: (e, subject) => exposures.record(e, subject, Date.now()),
    }),
  );
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
