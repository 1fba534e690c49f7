// The source files `lectern adopt` reads: .ts/.tsx/.js/.mjs/.cjs (and .py) under the directory, never
// node_modules, dist, build output or .git, never a file over the size cap, never a symlink whose target
// leaves the directory (a repository can hold a link to /etc or to a home directory). Folders are walked by
// their real paths and each real file or folder once, so a link back to a folder above (a loop) or a second
// link to one file adds nothing: one call is one prompt. What it may write is narrower still
// (cli/src/safe-write.ts: no hard links either).
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import path from "node:path";

export const maxFileBytes = 512 * 1024;
export const maxFiles = 20_000;
const skippedDirs = new Set([
  "node_modules",
  "dist",
  "build",
  "out",
  ".git",
  ".next",
  "coverage",
  "__pycache__",
  ".venv",
  "venv",
]);
export const scriptExtensions = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

export interface SourceFiles {
  /** Absolute paths. */
  scripts: string[];
  python: string[];
  skipped: { file: string; reason: string }[];
}

const inside = (root: string, p: string) => p === root || p.startsWith(root + path.sep);

export function listSources(dir: string): SourceFiles {
  const root = realpathSync(dir);
  const out: SourceFiles = { scripts: [], python: [], skipped: [] };
  const rel = (p: string) => path.relative(root, p) || ".";
  const seen = new Set<string>([root]);
  const walk = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      out.skipped.push({ file: rel(d), reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && (skippedDirs.has(e.name) || e.name.startsWith("."))) continue;
      let real = p;
      if (e.isSymbolicLink()) {
        try {
          real = realpathSync(p);
        } catch {
          out.skipped.push({ file: rel(p), reason: "a broken symbolic link" });
          continue;
        }
        if (!inside(root, real)) {
          out.skipped.push({ file: rel(p), reason: "a symbolic link to outside the directory" });
          continue;
        }
      }
      if (seen.has(real)) continue;
      seen.add(real);
      const st = e.isSymbolicLink() ? statSync(real) : lstatSync(p);
      if (st.isDirectory()) {
        if (!skippedDirs.has(e.name)) walk(real);
        continue;
      }
      if (!st.isFile()) continue;
      const ext = path.extname(e.name);
      const isScript = scriptExtensions.includes(ext) && !e.name.endsWith(".d.ts");
      if (!isScript && ext !== ".py") continue;
      if (st.size > maxFileBytes) {
        out.skipped.push({ file: rel(p), reason: `larger than ${maxFileBytes / 1024} KiB` });
        continue;
      }
      if (out.scripts.length + out.python.length >= maxFiles) {
        out.skipped.push({ file: rel(p), reason: `more than ${maxFiles} source files: the rest were not read` });
        return;
      }
      // A link inside the directory is read (and written) as the file it points to.
      (isScript ? out.scripts : out.python).push(real);
    }
  };
  walk(root);
  return out;
}
