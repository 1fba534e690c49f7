import { otherMethods } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/runtime";
import { runtimeRoute } from "@/lib/server/http/next-runtime";

export const dynamic = "force-dynamic";

export const POST = runtimeRoute(endpoints.ingestOtlpTraces);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
