import { getPezzoPrompt } from "@/lib/compat/pezzo/deployment";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/pezzo";
import { pezzoCaller } from "@/lib/server/http/pezzo-caller";
import { getRuntime } from "@/lib/server/wiring/runtime";

export const GET = route(endpoints.pezzoGetPromptDeployment, async (c) =>
  json(await getPezzoPrompt({ db: c.db, cache: (await getRuntime()).prompts }, pezzoCaller(c), c.query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
