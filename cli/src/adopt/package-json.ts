// --write adds @lectern/sdk to the package.json of the project whose files it rewrote, as the README installs
// it: the tarball the Lectern server serves (`<baseUrl>/sdk/lectern-sdk.tgz`), so `npm install` needs no
// registry. The file is rewritten only when it is in the form npm itself writes (JSON.stringify with its
// indentation), so no formatting of the person's is lost.
import { existsSync } from "node:fs";
import path from "node:path";
import { isInside, readUtf8, replaceFile, writeProblem, type FileId } from "../safe-write";

export const sdkPackage = "@lectern/sdk";
export const sdkTarball = (baseUrl: string) => `${baseUrl.replace(/\/+$/, "")}/sdk/lectern-sdk.tgz`;

/** The nearest package.json above each file, not above the directory adopted. */
export function packageJsonsFor(root: string, files: string[]): string[] {
  const out = new Set<string>();
  for (const f of files)
    for (let d = path.dirname(f); isInside(root, d); d = path.dirname(d)) {
      const p = path.join(d, "package.json");
      if (existsSync(p)) {
        out.add(p);
        break;
      }
      if (d === root) break;
    }
  return [...out];
}

export interface DependencyChange {
  file: string;
  status: "added" | "present" | "skipped";
  reason?: string;
  /** The new text, when added (written unless a dry run), and the file it was made from. */
  text?: string;
  read?: FileId;
}

const sections = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

/** What adding the SDK to one package.json would do. */
export function addDependency(root: string, file: string, url: string): DependencyChange {
  const problem = writeProblem(root, file);
  if (problem) return { file, status: "skipped", reason: problem };
  const read = readUtf8(file, 4 * 1024 * 1024);
  if ("reason" in read) return { file, status: "skipped", reason: read.reason };
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(read.text) as Record<string, unknown>;
  } catch {
    return { file, status: "skipped", reason: "not valid JSON" };
  }
  if (typeof pkg !== "object" || pkg === null || Array.isArray(pkg))
    return { file, status: "skipped", reason: "not a JSON object" };
  if (sections.some((s) => typeof pkg[s] === "object" && pkg[s] !== null && sdkPackage in (pkg[s] as object)))
    return { file, status: "present" };
  const indent = /^\{\r?\n([ \t]+)"/.exec(read.text)?.[1] ?? "  ";
  const newline = read.text.includes("\r\n") ? "\r\n" : "\n";
  const trailing = /\r?\n$/.test(read.text) ? newline : "";
  const print = (v: unknown) => JSON.stringify(v, null, indent).replace(/\n/g, newline) + trailing;
  if (print(pkg) !== read.text)
    return {
      file,
      status: "skipped",
      reason: `not in the form npm writes, so it was left as it is: npm install ${url}`,
    };
  const deps = { ...((pkg.dependencies as Record<string, string> | undefined) ?? {}) };
  const sorted = Object.keys(deps).every((k, i, all) => i === 0 || all[i - 1]! <= k);
  deps[sdkPackage] = url;
  const next = {
    ...pkg,
    dependencies: sorted ? Object.fromEntries(Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : 1))) : deps,
  };
  return { file, status: "added", text: print(next), read: read.id };
}

/** Writes an added dependency; refused (CliError) when the file changed since it was read. */
export function writeDependency(root: string, change: DependencyChange): void {
  if (change.text !== undefined && change.read) replaceFile(root, change.file, change.text, change.read);
}
