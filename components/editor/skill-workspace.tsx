"use client";

import { useState } from "react";
import { skillEntryFile, skillPathProblem } from "@/lib/registry/skills/skill-files";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { newKey, type FileEdit } from "./state";
import { TemplateEditor } from "./template-editor";
import type { Workspace } from "./use-workspace";

/** The file tree's rows: each folder once (indented by depth), then its files, in path order. */
function treeRows(files: FileEdit[]): { kind: "folder" | "file"; depth: number; label: string; file?: FileEdit }[] {
  const rows: { kind: "folder" | "file"; depth: number; label: string; file?: FileEdit }[] = [];
  const seen = new Set<string>();
  const sorted = [...files].sort((a, b) =>
    a.path === skillEntryFile ? -1 : b.path === skillEntryFile ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  for (const f of sorted) {
    const parts = f.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      if (seen.has(folder)) continue;
      seen.add(folder);
      rows.push({ kind: "folder", depth: i - 1, label: `${parts[i - 1]}/` });
    }
    rows.push({ kind: "file", depth: parts.length - 1, label: parts.at(-1) ?? f.path, file: f });
  }
  return rows;
}

/**
 * A skill's files (agentskills.io: SKILL.md and the rest): a file tree beside the Monaco editor of the file chosen
 * in it; files are added, renamed and removed here, and the whole folder is saved as one version.
 */
export function SkillWorkspace({ ws, readOnly = false }: { ws: Workspace; readOnly?: boolean }) {
  const { state, setState } = ws;
  const [selected, setSelected] = useState(() => state.files[0]?.key ?? "");
  const [newPath, setNewPath] = useState("");
  const current = state.files.find((f) => f.key === selected) ?? state.files[0];
  const addProblem = newPath
    ? state.files.some((f) => f.path === newPath.trim())
      ? `A file already has the path ${newPath.trim()}.`
      : skillPathProblem(newPath.trim())?.message
    : undefined;

  const update = (key: string, change: Partial<FileEdit>) =>
    setState((s) => ({ ...s, files: s.files.map((f) => (f.key === key ? { ...f, ...change } : f)) }));
  const add = () => {
    const path = newPath.trim();
    if (!path || addProblem) return;
    const file = { key: newKey(), path, text: "" };
    setState((s) => ({ ...s, files: [...s.files, file] }));
    setSelected(file.key);
    setNewPath("");
  };
  const remove = (f: FileEdit) => {
    setState((s) => ({ ...s, files: s.files.filter((x) => x.key !== f.key) }));
    setSelected(state.files.find((x) => x.key !== f.key)?.key ?? "");
  };

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-12">
      <section
        aria-labelledby="skill-files"
        className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm lg:col-span-4"
      >
        <h2 id="skill-files" className="mb-2 text-sm font-semibold text-slate-900">
          Files
        </h2>
        <p className="mb-3 text-xs text-slate-600">
          The folder agents install. SKILL.md holds the frontmatter (name, description) and the instructions.
        </p>
        <ul aria-label="Skill files" className="flex flex-col font-mono text-xs" data-testid="skill-tree">
          {treeRows(state.files).map((r, i) =>
            r.kind === "folder" ? (
              <li key={`d${i}`} className="py-1 text-slate-500" style={{ paddingLeft: `${r.depth * 0.75}rem` }}>
                {r.label}
              </li>
            ) : (
              <li key={r.file!.key} style={{ paddingLeft: `${r.depth * 0.75}rem` }}>
                <button
                  type="button"
                  onClick={() => setSelected(r.file!.key)}
                  aria-current={r.file!.key === current?.key ? "true" : undefined}
                  aria-label={`Open ${r.file!.path}`}
                  className={`w-full rounded px-1.5 py-1 text-left hover:bg-slate-100 ${r.file!.key === current?.key ? "bg-brand-50 font-semibold text-brand-800" : "text-slate-800"}`}
                >
                  {r.label}
                </button>
              </li>
            ),
          )}
        </ul>
        {readOnly ? null : (
          <div className="mt-4 flex flex-col gap-2 border-t border-slate-100 pt-3">
            <Input
              label="New file"
              id="skill-new-file"
              value={newPath}
              placeholder="references/guide.md"
              onValue={setNewPath}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  add();
                }
              }}
              error={addProblem}
            />
            <Button
              type="button"
              size="sm"
              variant="secondary"
              onClick={add}
              disabled={!newPath.trim() || !!addProblem}
            >
              Add file
            </Button>
          </div>
        )}
      </section>
      <section
        aria-labelledby="skill-file-editor"
        className="flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm lg:col-span-8"
      >
        {current ? (
          <>
            <div className="flex flex-wrap items-end gap-2">
              <h2 id="skill-file-editor" className="sr-only">
                {`File ${current.path}`}
              </h2>
              <div className="min-w-0 flex-1">
                <Input
                  label="Path"
                  id="skill-file-path"
                  value={current.path}
                  readOnly={readOnly || current.path === skillEntryFile}
                  onValue={(v) => update(current.key, { path: v })}
                  error={ws.errors[`files.${state.files.indexOf(current)}.path`]}
                  className="font-mono"
                />
              </div>
              {current.path === skillEntryFile ? null : (
                <label className="flex items-center gap-1.5 pb-2 text-xs text-slate-700">
                  <input
                    type="checkbox"
                    checked={!!current.executable}
                    disabled={readOnly}
                    onChange={(e) => update(current.key, { executable: e.target.checked })}
                  />
                  Executable (0755)
                </label>
              )}
              {readOnly || current.path === skillEntryFile ? null : (
                <Button type="button" size="sm" variant="ghost" onClick={() => remove(current)}>
                  Remove file
                </Button>
              )}
            </div>
            {/* One editor per file: each keeps its own undo history. */}
            <TemplateEditor
              key={current.key}
              label={`File ${current.path}`}
              value={current.text}
              onChange={(text) => update(current.key, { text })}
              minHeight={320}
              maxHeight={720}
              readOnly={readOnly}
            />
          </>
        ) : (
          <p id="skill-file-editor" className="text-sm text-slate-600">
            No files: add SKILL.md.
          </p>
        )}
      </section>
    </div>
  );
}
