import { otherMethods } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/skills";
import { skillsRoute } from "@/lib/server/http/skills-route";

export const dynamic = "force-dynamic";

export const GET = skillsRoute(endpoints.skillsUrlFile);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
