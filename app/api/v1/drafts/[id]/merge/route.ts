import { versionDto } from "@/lib/registry/dto";
import { mergeDraft } from "@/lib/release/drafts/drafts";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/release";

export const POST = route(endpoints.mergeDraft, async ({ domain, params, body }) => {
  const r = await mergeDraft(domain, params.id, body);
  return json(
    {
      version: r.version.version,
      threeWay: r.threeWay,
      warnings: r.warnings,
      data: versionDto(r.version, { withDiff: true }),
    },
    201,
  );
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
