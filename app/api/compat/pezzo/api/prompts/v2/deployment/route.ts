// Answered by Lectern's own server too (lib/server/http/read-paths.ts).
import { otherMethods } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/pezzo";
import { readRoute } from "@/lib/server/http/read-route";

export const GET = readRoute(endpoints.pezzoGetPromptDeployment);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
