// lectern validate: the editor's checks on every file, with no server (for pull requests).
import path from "node:path";
import type { Command } from "../context";
import { exitCodes } from "../errors";
import { readWorkspace } from "../workspace";

export const validate: Command = {
  name: "validate",
  summary: "Check every prompt file as the editor would, without a server",
  usage: "lectern validate [--dir prompts] [--folder name]",
  options: {},
  args: { min: 0, max: 0 },
  async run({ config, out, io }) {
    const ws = await readWorkspace(config.dir, io.cwd, { folder: config.folder });
    if (ws.outside.length)
      out.note(
        `${ws.outside.length} file${ws.outside.length > 1 ? "s" : ""} outside folder ${config.folder} left out (${ws.outside.slice(0, 3).join(", ")}${ws.outside.length > 3 ? ", …" : ""})`,
      );
    for (const w of ws.warnings) out.warn(w);
    for (const p of ws.problems) out.problem(p);
    const shownDir = path.relative(io.cwd, config.dir) || ".";
    if (ws.problems.length)
      out.line(`${ws.problems.length} problem${ws.problems.length > 1 ? "s" : ""} in ${shownDir}`);
    else
      out.line(
        `${out.green("✓")} ${ws.files.length} prompt file${ws.files.length === 1 ? "" : "s"} in ${shownDir} valid`,
      );
    return {
      exitCode: ws.problems.length ? exitCodes.failed : exitCodes.ok,
      result: { files: ws.files.map((f) => f.shown) },
    };
  },
};
