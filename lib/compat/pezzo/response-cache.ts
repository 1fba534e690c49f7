// Pezzo's response cache (PezzoOpenAI with {cache: true}: POST /api/cache/v1/request/retrieve before the call,
// /save after it) is not offered: Lectern serves prompts and never sits between an application and its model,
// so it keeps no model answers (docs/decisions/pezzo-response-cache.md). Retrieve answers a miss — Pezzo's
// client reads that body twice when it is an error, which would fail the application's call — and save answers
// a 404 saying why, which Pezzo's client logs ("Could not cache request"). The call itself always goes through.
import { z } from "zod";
import { AppError } from "../../errors";
import { assertPezzoProject, type PezzoCaller } from "./caller";

const notOffered =
  "Lectern does not offer Pezzo's response cache: every call goes to the model and nothing is cached (docs/switching.md#pezzo). Leave out {cache: true}.";

/** What Pezzo's client sends to retrieve: the model request it is about to make. Checked like any body, not kept. */
export const pezzoCacheRetrieveBody = z.object({
  request: z.looseObject({}).describe("The model request PezzoOpenAI is about to make (its cache key in Pezzo)"),
});

/** POST …/api/cache/v1/request/retrieve: always a miss, saying why. */
export const pezzoCacheMissSchema = z.object({ hit: z.literal(false), data: z.null(), message: z.string() });

export function retrievePezzoCache(caller: PezzoCaller): z.infer<typeof pezzoCacheMissSchema> {
  assertPezzoProject(caller);
  return { hit: false, data: null, message: notOffered };
}

/** POST …/api/cache/v1/request/save: refused (404), so that Pezzo's client logs the reason. */
export function savePezzoCache(caller: PezzoCaller): never {
  assertPezzoProject(caller);
  throw new AppError("not_found", notOffered, { feature: "response-cache" });
}
