import "server-only";
import type { NextRequest } from "next/server";
import { fromNext } from "./runtime-request";
import type { Endpoint } from "./endpoint";
import { answerRead, READS, type ReadDef } from "./read-paths";
import { toResponse } from "./next-runtime";

// The Next routes of the reads Lectern's own server also answers (read-paths.ts, READS; gateway/fast-reads.ts):
// an adapter from NextRequest to the framework-free core, so both servers answer byte for byte the same.

const byEndpoint = new Map<unknown, ReadDef>(Object.values(READS).map((d) => [d.endpoint, d]));

/** The handler of a read's declaration (one of read-paths.ts's READS). */
export function readRoute<P extends string, Q, B, R>(e: Endpoint<P, Q, B, R>) {
  const def = byEndpoint.get(e);
  if (!def) throw new Error(`${e.method} ${e.path} is not one of the fast reads (read-paths.ts, READS)`);
  return async (req: NextRequest, args: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const raw = await args.params;
    // Next has already decoded path parameters once; a catch-all's segments are joined back with '/'.
    const params = Object.fromEntries(
      Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
    );
    return toResponse(req, await answerRead(def, fromNext(req), params));
  };
}
