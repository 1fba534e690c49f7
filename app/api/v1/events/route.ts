import { otherMethods } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/runtime";
import { runtimeRoute } from "@/lib/server/http/next-runtime";

export const dynamic = "force-dynamic";

export const GET = runtimeRoute(endpoints.streamPromptChanges);
export const POST = runtimeRoute(endpoints.recordMetricEvents);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
