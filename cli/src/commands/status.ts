// lectern status: what each environment serves, prompt by prompt, and how each local file stands
// against the server (up to date, edited, behind, new…).
import path from "node:path";
import type { Command, Context } from "../context";
import { exitCodes } from "../errors";
import { listPrompts, pool, type PromptDetail, latestContents } from "../remote";
import { localState } from "../sync";
import { pathOfName, readWorkspace, type PromptFile } from "../workspace";

type Local =
  | "up to date"
  | "edited"
  | "behind"
  | "edited, behind"
  | "not pulled"
  | "new"
  | "untracked"
  | "unknown version"
  | "invalid";

async function localOf(ctx: Context, f: PromptFile | undefined, d: PromptDetail): Promise<Local> {
  if (!f) return "not pulled";
  const s = await localState(ctx.remote(), f, d);
  if (s.kind === "untracked") return "untracked";
  if (s.kind === "unknown-version") return "unknown version";
  if (s.kind === "clean") return s.behind ? "behind" : "up to date";
  return s.behind ? "edited, behind" : "edited";
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
}

export const status: Command = {
  name: "status",
  summary: "What each environment serves, and how the local files stand",
  usage: "lectern status [--dir prompts] [--folder name]",
  options: {},
  args: { min: 0, max: 0 },
  async run(ctx) {
    const { config, out, io } = ctx;
    const remote = ctx.remote();
    const [envs, prompts] = await Promise.all([remote.environments(), listPrompts(ctx.api(), config.folder)]);
    const ws = await readWorkspace(config.dir, io.cwd, { folder: config.folder, remote: latestContents(remote) });
    const files = new Map(ws.files.map((f) => [f.name, f]));
    const invalid = new Set(ws.problems.map((p) => p.file));
    const rows = await pool(prompts, 4, async (p) => {
      const d = (await remote.detail(p.name))!;
      const f = files.get(p.name);
      const shownFile = path.relative(io.cwd, pathOfName(config.dir, p.name));
      const local: Local = !f && invalid.has(shownFile) ? "invalid" : await localOf(ctx, f, d);
      return {
        name: p.name,
        latest: d.latestVersion.version,
        environments: Object.fromEntries(envs.map((e) => [e.name, d.environments[e.name]?.version ?? null])),
        local,
        file: f?.shown ?? null,
        fileVersion: f?.data.version ?? null,
      };
    });
    const remoteNames = new Set(prompts.map((p) => p.name));
    const onlyLocal = ws.files
      .filter((f) => !remoteNames.has(f.name))
      .map((f) => ({
        name: f.name,
        file: f.shown,
        local: f.data.version === null ? ("new" as const) : ("unknown version" as const),
      }));

    const header = ["prompt", "latest", ...envs.map((e) => e.name), "local"];
    const body = rows.map((r) => [
      r.name,
      `v${r.latest}`,
      ...envs.map((e) => (r.environments[e.name] === null ? "-" : `v${r.environments[e.name]}`)),
      r.local,
    ]);
    for (const l of onlyLocal) body.push([l.name, "-", ...envs.map(() => "-"), l.local]);
    if (body.length) for (const l of table([header, ...body])) out.line(l);
    else out.line("No prompts.");
    for (const p of ws.problems) out.warn(p);
    return {
      exitCode: exitCodes.ok,
      result: { environments: envs.map((e) => e.name), prompts: rows, localOnly: onlyLocal },
    };
  },
};
