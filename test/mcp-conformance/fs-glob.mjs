// Node's fs, plus the globSync the conformance suite names (Node 22's), for the one pattern shape it uses:
// "**/<file name>" under `cwd`. Any other pattern is refused rather than answered wrongly.
import fs from "node:fs";
import path from "node:path";

export * from "node:fs";
export default fs;

export function globSync(pattern, options = {}) {
  const m = /^\*\*\/([^*?[\]{}/]+)$/.exec(String(pattern));
  if (!m) throw new Error(`globSync shim: only "**/<name>" patterns are supported, not ${pattern}`);
  const cwd = options.cwd ? String(options.cwd) : process.cwd();
  return fs
    .readdirSync(cwd, { recursive: true })
    .map(String)
    .filter((p) => path.basename(p) === m[1]);
}
