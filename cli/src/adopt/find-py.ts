// The Python finder: placeholder until stage 4 (python3's ast).
import type { FindResult } from "./model";

export async function findInPython(
  _root: string,
  _files: string[],
  _env: Record<string, string | undefined>,
): Promise<FindResult & { unavailable?: string }> {
  return { found: [], leftAlone: [], skipped: [], unavailable: "Python is not supported yet" };
}
