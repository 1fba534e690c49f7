import "server-only";
import type { NextRequest } from "next/server";
import { fromNext } from "./runtime-request";
import type { Endpoint } from "./endpoint";
import { answerSkills } from "./skills-paths";
import { toResponse } from "./next-runtime";

// The Next route of the skills URLs (endpoints/skills.ts): an adapter around the framework-free core
// (skills-paths.ts) that Lectern's own server also answers through (gateway/fast-reads.ts).

export function skillsRoute<const P extends string, Q, B, R extends { path: string }>(e: Endpoint<P, Q, B, R>) {
  return async (req: NextRequest, args: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const raw = await args.params;
    const params = Object.fromEntries(
      Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
    );
    return toResponse(req, await answerSkills(e as never, fromNext(req), params));
  };
}
