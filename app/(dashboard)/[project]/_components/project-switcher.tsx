"use client";

import { useGuardedRouter } from "@/components/editor/unsaved-changes";

const NEW = "+new"; // not a possible slug

export function ProjectSwitcher({
  current,
  projects,
}: {
  current: string;
  projects: { slug: string; name: string }[];
}) {
  // An open editor with unsaved work asks before the switch (the select stays on this project if kept).
  const router = useGuardedRouter();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">Project</span>
      <select
        value={current}
        onChange={(e) => router.push(e.target.value === NEW ? "/projects/new" : `/${e.target.value}/prompts`)}
        className="max-w-[8rem] rounded-md border border-slate-300 bg-white px-2 py-1 text-sm sm:max-w-[12rem]"
      >
        {projects.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.name}
          </option>
        ))}
        <option value={NEW}>+ New project…</option>
      </select>
    </label>
  );
}
