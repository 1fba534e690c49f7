// --write: rewrites every file that holds adopted prompts (or, for a dry run, says what it would do), and adds
// @lectern/sdk to the package.json of the JavaScript files it rewrote. A file is written only when it is a
// regular file of the directory with one link and valid UTF-8 (safe-write.ts), whole, through a new file
// renamed over it; every byte outside the rewritten sites stays as it was.
import path from "node:path";
import { CliError } from "../errors";
import { readUtf8, replaceFile, writeProblem, type FileId } from "../safe-write";
import type { Adoption } from "./find";
import { addDependency, packageJsonsFor, sdkTarball, writeDependency, type DependencyChange } from "./package-json";
import { rewritePython } from "./rewrite-py";
import { rewriteSource, type FileRewrite, type Site } from "./rewrite-js";

export interface RewriteReport {
  sites: { file: string; line: number; name: string; status: "rewritten" | "skipped"; reason?: string }[];
  files: { file: string; written: boolean; note?: string }[];
  /** package.json files: @lectern/sdk added, already there, or why not. */
  dependencies: { file: string; status: DependencyChange["status"]; reason?: string }[];
}

export interface RewriteOptions {
  environment: string;
  dryRun: boolean;
  env: Record<string, string | undefined>;
  /** Where the SDK is installed from: the Lectern server's URL (undefined in a dry run without one). */
  baseUrl?: string;
}

interface Planned {
  abs: string;
  file: string;
  text: string;
  read: FileId;
  language: "ts" | "js" | "py";
}

export async function rewriteAll(a: Pick<Adoption, "found" | "names" | "root">, opts: RewriteOptions) {
  const report: RewriteReport = { sites: [], files: [], dependencies: [] };
  const byFile = new Map<string, Site[]>();
  a.found.forEach((found, i) => {
    const list = byFile.get(found.file) ?? [];
    list.push({ found, name: a.names[i]! });
    byFile.set(found.file, list);
  });
  const planned: Planned[] = [];
  for (const [file, sites] of byFile) {
    const abs = path.join(a.root, ...file.split("/"));
    const skipAll = (reason: string) => {
      for (const s of sites) report.sites.push({ file, line: s.found.line, name: s.name, status: "skipped", reason });
      report.files.push({ file, written: false, note: reason });
    };
    const problem = writeProblem(a.root, abs);
    if (problem) {
      skipAll(`not written: ${problem}`);
      continue;
    }
    const read = readUtf8(abs);
    if ("reason" in read) {
      skipAll(read.reason);
      continue;
    }
    const language = sites[0]!.found.language;
    const r: FileRewrite =
      language === "py"
        ? await rewritePython(file, read.text, sites, opts)
        : rewriteSource(file, read.text, sites, opts);
    for (const s of r.rewritten) report.sites.push({ file, line: s.found.line, name: s.name, status: "rewritten" });
    for (const { site, reason } of r.skipped)
      report.sites.push({ file, line: site.found.line, name: site.name, status: "skipped", reason });
    if (r.text !== read.text) planned.push({ abs, file, text: r.text, read: read.id, language });
    else report.files.push({ file, written: false });
  }

  const js = planned.filter((p) => p.language !== "py").map((p) => p.abs);
  const url = opts.baseUrl ? sdkTarball(opts.baseUrl) : "<your Lectern>/sdk/lectern-sdk.tgz";
  const deps = packageJsonsFor(a.root, js).map((f) => addDependency(a.root, f, url));
  for (const d of deps)
    report.dependencies.push({
      file: path.relative(a.root, d.file).split(path.sep).join("/"),
      status: d.status,
      ...(d.reason ? { reason: d.reason } : {}),
    });
  if (js.length && !deps.length)
    report.dependencies.push({
      file: "package.json",
      status: "skipped",
      reason: `there is none in the directory: npm install ${url}`,
    });

  for (const p of planned) {
    if (opts.dryRun) {
      report.files.push({ file: p.file, written: false });
      continue;
    }
    try {
      replaceFile(a.root, p.abs, p.text, p.read);
      report.files.push({ file: p.file, written: true });
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      report.files.push({ file: p.file, written: false, note: e.message });
      for (const s of report.sites)
        if (s.file === p.file && s.status === "rewritten") Object.assign(s, { status: "skipped", reason: e.message });
    }
  }
  if (!opts.dryRun && opts.baseUrl)
    for (const d of deps) {
      try {
        writeDependency(a.root, d);
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        const entry = report.dependencies.find((x) => path.join(a.root, x.file) === d.file);
        if (entry) Object.assign(entry, { status: "skipped", reason: e.message });
      }
    }
  report.sites.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line));
  report.files.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
  return {
    report,
    touched: [...planned.map((p) => p.abs), ...deps.filter((d) => d.status === "added").map((d) => d.file)],
  };
}
