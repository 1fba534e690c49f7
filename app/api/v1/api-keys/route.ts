import { createApiKey, listApiKeys, skillsUrl } from "@/lib/auth/api-keys";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";
import { publicBaseUrl } from "@/lib/server/wiring/mail";

export const POST = route(endpoints.createApiKey, async ({ domain, body }) => {
  const created = await createApiKey(domain, body);
  // A skills key is used as its URL (`npx skills add <skillsUrl>`), the key inside it.
  return json(
    created.scope === "skills" ? { ...created, skillsUrl: skillsUrl(await publicBaseUrl(), created.key) } : created,
    201,
  );
});

export const GET = route(endpoints.listApiKeys, async ({ domain }) => json({ data: await listApiKeys(domain) }));

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
