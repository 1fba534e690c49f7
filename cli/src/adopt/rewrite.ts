// --write: rewrites every file that holds adopted prompts (or, for a dry run, says what it would do).
// A file is written only when each of its sites could be placed; files are written whole, one by one.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Adoption } from "./find";
import { loadTypescript } from "./find-ts";
import { rewritePython } from "./rewrite-py";
import { rewriteSource, type FileRewrite, type Site } from "./rewrite-ts";

export interface RewriteReport {
  sites: { file: string; line: number; name: string; status: "rewritten" | "skipped"; reason?: string }[];
  files: { file: string; written: boolean; note?: string }[];
}

export async function rewriteAll(
  a: Pick<Adoption, "found" | "names" | "root">,
  opts: { environment: string; dryRun: boolean; env: Record<string, string | undefined> },
): Promise<RewriteReport> {
  const report: RewriteReport = { sites: [], files: [] };
  const byFile = new Map<string, Site[]>();
  a.found.forEach((found, i) => {
    const list = byFile.get(found.file) ?? [];
    list.push({ found, name: a.names[i]! });
    byFile.set(found.file, list);
  });
  for (const [file, sites] of byFile) {
    const abs = path.join(a.root, ...file.split("/"));
    const text = readFileSync(abs, "utf8");
    const r: FileRewrite =
      sites[0]!.found.language === "py"
        ? await rewritePython(file, text, sites, opts)
        : rewriteSource(await loadTypescript(a.root), file, text, sites, opts);
    for (const s of r.rewritten) report.sites.push({ file, line: s.found.line, name: s.name, status: "rewritten" });
    for (const { site, reason } of r.skipped)
      report.sites.push({ file, line: site.found.line, name: site.name, status: "skipped", reason });
    const changed = r.text !== text;
    if (changed && !opts.dryRun) writeFileSync(abs, r.text);
    report.files.push({ file, written: changed && !opts.dryRun });
  }
  report.sites.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line));
  return report;
}
