// PromptLayer's JS client puts a prompt's name into the path unencoded: `support/reply` arrives as two
// segments, which this catch-all joins back (`support%2Freply`, as the Python client sends it, is one).
// Both reads are answered by Lectern's own server too (lib/server/http/read-paths.ts).
import { otherMethods } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/promptlayer";
import { readRoute } from "@/lib/server/http/read-route";

export const POST = readRoute(endpoints.promptLayerGetTemplate);

export const GET = readRoute(endpoints.promptLayerGetRawTemplate);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
