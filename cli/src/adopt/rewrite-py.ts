// Rewrites Python call sites: placeholder until stage 4.
import type { FileRewrite, Site } from "./rewrite-ts";

export async function rewritePython(
  _file: string,
  text: string,
  sites: Site[],
  _opts: { environment: string },
): Promise<FileRewrite> {
  return { text, rewritten: [], skipped: sites.map((site) => ({ site, reason: "Python is not rewritten yet" })) };
}
